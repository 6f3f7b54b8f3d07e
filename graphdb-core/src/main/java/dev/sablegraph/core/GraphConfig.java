package dev.sablegraph.core;

/**
 * Settings of an open database. Immutable; build with {@link #builder()}. Settings that shape the
 * file (the page size) are taken from the file when it already exists.
 */
public final class GraphConfig {
    /** The page size of a new database file unless the builder sets another: 8 KiB. */
    public static final int DEFAULT_PAGE_SIZE = 8192;
    /** The page cache size unless the builder sets another: 128 MiB. */
    public static final long DEFAULT_PAGE_CACHE_BYTES = 128L << 20;
    /** The largest {@link #retryBackoffMaxMillis()}: a minute between retries is already a stall. */
    public static final long MAX_RETRY_BACKOFF_MILLIS = 60_000;

    private final long pageCacheBytes;
    private final int pageSize;
    private final int compressionThreshold;
    private final LockStrategy lockStrategy;
    private final long nodeCacheEntries;
    private final long edgeCacheEntries;
    private final long gcIntervalMillis;
    private final Durability durability;
    private final long asyncFlushMillis;
    private final long walSegmentBytes;
    private final long checkpointLogBytes;
    private final int maxOpenTransactions;
    private final long maxTransactionAgeMillis;
    private final boolean jmxMetrics;
    private final int maxTransactionAttempts;
    private final long retryBackoffBaseMillis;
    private final long retryBackoffMaxMillis;

    private GraphConfig(Builder b) {
        this.jmxMetrics = b.jmxMetrics;
        this.maxOpenTransactions = b.maxOpenTransactions;
        this.maxTransactionAgeMillis = b.maxTransactionAgeMillis;
        this.maxTransactionAttempts = b.maxTransactionAttempts;
        this.retryBackoffBaseMillis = b.retryBackoffBaseMillis;
        this.retryBackoffMaxMillis = b.retryBackoffMaxMillis;
        this.durability = b.durability;
        this.asyncFlushMillis = b.asyncFlushMillis;
        this.walSegmentBytes = b.walSegmentBytes;
        this.checkpointLogBytes = b.checkpointLogBytes;
        this.nodeCacheEntries = b.nodeCacheEntries;
        this.edgeCacheEntries = b.edgeCacheEntries;
        this.gcIntervalMillis = b.gcIntervalMillis;
        this.pageCacheBytes = b.pageCacheBytes;
        this.pageSize = b.pageSize;
        this.compressionThreshold = b.compressionThreshold;
        this.lockStrategy = b.lockStrategy;
    }

    /**
     * The default settings, as the table in the README lists them.
     *
     * @return the default configuration
     */
    public static GraphConfig defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Upper bound of the page cache in bytes: the cache holds up to {@code pageCacheBytes / pageSize}
     * frames, made as pages are touched (an empty database does not pay for the whole cache).
     *
     * @return the page cache size in bytes
     */
    public long pageCacheBytes() {
        return pageCacheBytes;
    }

    /**
     * Page size for a new database file: a power of two from 4 KiB to 64 KiB.
     *
     * @return the page size in bytes
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * Records at least this long are lz4-compressed when that saves space.
     *
     * @return the record length in bytes from which compression is tried
     */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /**
     * How readers and writers are kept apart; see {@link LockStrategy}.
     *
     * @return the lock strategy
     */
    public LockStrategy lockStrategy() {
        return lockStrategy;
    }

    /**
     * Decoded nodes kept in the node cache (Caffeine, bounded by entry count).
     *
     * @return the node cache's capacity in entries
     */
    public long nodeCacheEntries() {
        return nodeCacheEntries;
    }

    /**
     * Decoded edges kept in the edge cache.
     *
     * @return the edge cache's capacity in entries
     */
    public long edgeCacheEntries() {
        return edgeCacheEntries;
    }

    /**
     * How often the background collector reclaims old versions, in milliseconds, while there is
     * anything to reclaim or a transaction is open; an idle database's collector sleeps.
     *
     * @return the collection interval in milliseconds
     */
    public long gcIntervalMillis() {
        return gcIntervalMillis;
    }

    /**
     * When commit returns relative to the disk; see {@link Durability}.
     *
     * @return the durability mode
     */
    public Durability durability() {
        return durability;
    }

    /**
     * With {@link Durability#ASYNC}, how often the log is forced: the most a crash can lose.
     *
     * @return the interval between log forces in milliseconds
     */
    public long asyncFlushMillis() {
        return asyncFlushMillis;
    }

    /**
     * The size a write-ahead log segment grows to (it starts at 64 KiB and is preallocated a step
     * at a time); also the largest commit record.
     *
     * @return the largest size of a log segment in bytes
     */
    public long walSegmentBytes() {
        return walSegmentBytes;
    }

    /**
     * A checkpoint starts once this much log was written since the last one (bounds recovery time),
     * or once the page cache's spill file holds this much or the page cache's size, whichever is
     * larger (bounds its disk space and the next checkpoint's work; at four times that much,
     * commits wait for a checkpoint).
     *
     * @return the log bytes between checkpoints
     */
    public long checkpointLogBytes() {
        return checkpointLogBytes;
    }

    /**
     * How many transactions may be open at once; {@code begin()} beyond it fails at once with a
     * {@link GraphException} (a leak of unclosed transactions shows up there, not as a hang).
     *
     * @return the most transactions open at once
     */
    public int maxOpenTransactions() {
        return maxOpenTransactions;
    }

    /**
     * A transaction open longer than this is aborted by the database (0: never): its snapshot no
     * longer holds back the reclamation of old versions, and its next call throws.
     *
     * @return the longest a transaction may stay open in milliseconds, or 0 for no limit
     */
    public long maxTransactionAgeMillis() {
        return maxTransactionAgeMillis;
    }

    /**
     * Whether the open database publishes its metrics as JMX MBeans (docs/operations.md, "Metrics");
     * {@code metricsSnapshot()} works either way. Off saves a short-lived tool the one-time start of
     * the platform MBean server (a few hundred milliseconds) when nothing else in the JVM uses JMX.
     *
     * @return whether the metrics are published over JMX
     */
    public boolean jmxMetrics() {
        return jmxMetrics;
    }

    /**
     * How many times {@code ConcurrentGraphDB.inTransaction} runs its work at most: the first
     * attempt and the retries after write conflicts. When the last attempt conflicts too, its
     * {@link WriteConflictException} is thrown, naming the count.
     *
     * @return the most attempts of one {@code inTransaction} call
     */
    public int maxTransactionAttempts() {
        return maxTransactionAttempts;
    }

    /**
     * The backoff before the first retry of {@code inTransaction}, in milliseconds: the wait before
     * retry {@code n} is drawn uniformly from 0 to {@code min(retryBackoffMaxMillis,
     * retryBackoffBaseMillis · 2^(n-1))} (exponential backoff with full jitter). 0 retries at once.
     *
     * @return the base of the retry backoff in milliseconds
     */
    public long retryBackoffBaseMillis() {
        return retryBackoffBaseMillis;
    }

    /**
     * The cap of the exponential backoff of {@code inTransaction}; see {@link
     * #retryBackoffBaseMillis()}.
     *
     * @return the cap of the retry backoff in milliseconds
     */
    public long retryBackoffMaxMillis() {
        return retryBackoffMaxMillis;
    }

    /**
     * A builder holding these settings, to derive a configuration that differs in a few.
     *
     * @return a new builder with this configuration's settings
     */
    public Builder toBuilder() {
        return new Builder().pageCacheBytes(pageCacheBytes).pageSize(pageSize)
                .compressionThreshold(compressionThreshold).lockStrategy(lockStrategy)
                .nodeCacheEntries(nodeCacheEntries).edgeCacheEntries(edgeCacheEntries)
                .gcIntervalMillis(gcIntervalMillis).durability(durability).asyncFlushMillis(asyncFlushMillis)
                .walSegmentBytes(walSegmentBytes).checkpointLogBytes(checkpointLogBytes)
                .maxOpenTransactions(maxOpenTransactions).maxTransactionAgeMillis(maxTransactionAgeMillis)
                .jmxMetrics(jmxMetrics)
                .maxTransactionAttempts(maxTransactionAttempts).retryBackoffBaseMillis(retryBackoffBaseMillis)
                .retryBackoffMaxMillis(retryBackoffMaxMillis);
    }

    @Override
    public String toString() {
        return "GraphConfig[pageCacheBytes=" + pageCacheBytes + ", pageSize=" + pageSize
                + ", compressionThreshold=" + compressionThreshold + ", lockStrategy=" + lockStrategy
                + ", nodeCacheEntries=" + nodeCacheEntries + ", edgeCacheEntries=" + edgeCacheEntries
                + ", gcIntervalMillis=" + gcIntervalMillis + ", durability=" + durability
                + ", asyncFlushMillis=" + asyncFlushMillis + ", walSegmentBytes=" + walSegmentBytes
                + ", checkpointLogBytes=" + checkpointLogBytes + ", maxOpenTransactions=" + maxOpenTransactions
                + ", maxTransactionAgeMillis=" + maxTransactionAgeMillis
                + ", maxTransactionAttempts=" + maxTransactionAttempts + ", retryBackoffBaseMillis="
                + retryBackoffBaseMillis + ", retryBackoffMaxMillis=" + retryBackoffMaxMillis + ", jmxMetrics=" + jmxMetrics + "]";
    }

    /**
     * Collects settings for a {@link GraphConfig}; {@link #build()} checks them. Each setter
     * returns this builder. Not thread-safe.
     */
    public static final class Builder {
        private long pageCacheBytes = DEFAULT_PAGE_CACHE_BYTES;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int compressionThreshold = 256;
        private LockStrategy lockStrategy = LockStrategy.OPTIMISTIC;
        private long nodeCacheEntries = 100_000;
        private long edgeCacheEntries = 100_000;
        private long gcIntervalMillis = 10;
        private Durability durability = Durability.SYNC;
        private long asyncFlushMillis = 10;
        private long walSegmentBytes = 64L << 20;
        private long checkpointLogBytes = 256L << 20;
        private int maxOpenTransactions = 4_096;
        private long maxTransactionAgeMillis = 0;
        private boolean jmxMetrics = true;
        private int maxTransactionAttempts = 10;
        private long retryBackoffBaseMillis = 1;
        private long retryBackoffMaxMillis = 100;

        private Builder() {}

        /**
         * See {@link GraphConfig#jmxMetrics()}; default true.
         *
         * @param publish whether to publish the metrics as JMX MBeans
         * @return this builder
         */
        public Builder jmxMetrics(boolean publish) {
            this.jmxMetrics = publish;
            return this;
        }

        /**
         * See {@link GraphConfig#maxTransactionAttempts()}; default 10, at least 1.
         *
         * @param attempts the most attempts, at least 1 (checked by {@link #build()})
         * @return this builder
         */
        public Builder maxTransactionAttempts(int attempts) {
            this.maxTransactionAttempts = attempts;
            return this;
        }

        /**
         * See {@link GraphConfig#retryBackoffBaseMillis()}; default 1 ms, 0 or more.
         *
         * @param millis the base of the backoff in milliseconds
         * @return this builder
         */
        public Builder retryBackoffBaseMillis(long millis) {
            this.retryBackoffBaseMillis = millis;
            return this;
        }

        /**
         * See {@link GraphConfig#retryBackoffMaxMillis()}; default 100 ms, at least the base, at
         * most 60,000.
         *
         * @param millis the cap of the backoff in milliseconds
         * @return this builder
         */
        public Builder retryBackoffMaxMillis(long millis) {
            this.retryBackoffMaxMillis = millis;
            return this;
        }

        /**
         * See {@link GraphConfig#maxOpenTransactions()}; default 4,096.
         *
         * @param count the most transactions open at once, at least 1
         * @return this builder
         */
        public Builder maxOpenTransactions(int count) {
            this.maxOpenTransactions = count;
            return this;
        }

        /**
         * See {@link GraphConfig#maxTransactionAgeMillis()}; default 0, no limit.
         *
         * @param millis the longest a transaction may stay open, 0 or more
         * @return this builder
         */
        public Builder maxTransactionAgeMillis(long millis) {
            this.maxTransactionAgeMillis = millis;
            return this;
        }

        /**
         * See {@link GraphConfig#durability()}; default {@link Durability#SYNC}.
         *
         * @param d when a commit returns relative to the disk
         * @return this builder
         * @throws IllegalArgumentException when {@code d} is null
         */
        public Builder durability(Durability d) {
            if (d == null) {
                throw new IllegalArgumentException("durability must not be null");
            }
            this.durability = d;
            return this;
        }

        /**
         * See {@link GraphConfig#asyncFlushMillis()}; default 10 ms, at least 1.
         *
         * @param millis the interval between log forces under {@link Durability#ASYNC}
         * @return this builder
         */
        public Builder asyncFlushMillis(long millis) {
            this.asyncFlushMillis = millis;
            return this;
        }

        /**
         * See {@link GraphConfig#walSegmentBytes()}; default 64 MiB, at least 64 KiB.
         *
         * @param bytes the size a log segment grows to
         * @return this builder
         */
        public Builder walSegmentBytes(long bytes) {
            this.walSegmentBytes = bytes;
            return this;
        }

        /**
         * See {@link GraphConfig#checkpointLogBytes()}; default 256 MiB, at least 64 KiB.
         *
         * @param bytes the log written between checkpoints
         * @return this builder
         */
        public Builder checkpointLogBytes(long bytes) {
            this.checkpointLogBytes = bytes;
            return this;
        }

        /**
         * See {@link GraphConfig#nodeCacheEntries()}; default 100,000, 0 or more.
         *
         * @param entries the node cache's capacity
         * @return this builder
         */
        public Builder nodeCacheEntries(long entries) {
            this.nodeCacheEntries = entries;
            return this;
        }

        /**
         * See {@link GraphConfig#edgeCacheEntries()}; default 100,000, 0 or more.
         *
         * @param entries the edge cache's capacity
         * @return this builder
         */
        public Builder edgeCacheEntries(long entries) {
            this.edgeCacheEntries = entries;
            return this;
        }

        /**
         * See {@link GraphConfig#gcIntervalMillis()}; default 10 ms, at least 1.
         *
         * @param millis the collection interval
         * @return this builder
         */
        public Builder gcIntervalMillis(long millis) {
            this.gcIntervalMillis = millis;
            return this;
        }

        /**
         * See {@link GraphConfig#lockStrategy()}; default {@link LockStrategy#OPTIMISTIC}.
         *
         * @param strategy how readers and writers are kept apart
         * @return this builder
         * @throws IllegalArgumentException when {@code strategy} is null
         */
        public Builder lockStrategy(LockStrategy strategy) {
            if (strategy == null) {
                throw new IllegalArgumentException("lockStrategy must not be null");
            }
            this.lockStrategy = strategy;
            return this;
        }

        /**
         * See {@link GraphConfig#pageCacheBytes()}; default 128 MiB, at least 16 pages.
         *
         * @param bytes the upper bound of the page cache
         * @return this builder
         */
        public Builder pageCacheBytes(long bytes) {
            this.pageCacheBytes = bytes;
            return this;
        }

        /**
         * See {@link GraphConfig#pageSize()}; default 8 KiB. An existing database keeps the page
         * size it was created with.
         *
         * @param bytes a power of two from 4096 to 65536
         * @return this builder
         */
        public Builder pageSize(int bytes) {
            this.pageSize = bytes;
            return this;
        }

        /**
         * See {@link GraphConfig#compressionThreshold()}; default 256, at least 16.
         *
         * @param bytes the record length from which compression is tried
         * @return this builder
         */
        public Builder compressionThreshold(int bytes) {
            this.compressionThreshold = bytes;
            return this;
        }

        /**
         * Checks the settings and makes the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first setting out of its range (the ranges
         *     each setter states)
         */
        public GraphConfig build() {
            if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                throw new IllegalArgumentException(
                        "pageSize must be a power of two from 4096 to 65536, was " + pageSize);
            }
            if (pageCacheBytes < 16L * pageSize) {
                throw new IllegalArgumentException("pageCacheBytes must hold at least 16 pages ("
                        + 16L * pageSize + " bytes), was " + pageCacheBytes);
            }
            if (pageCacheBytes / pageSize > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pageCacheBytes too large: " + pageCacheBytes);
            }
            if (nodeCacheEntries < 0 || edgeCacheEntries < 0) {
                throw new IllegalArgumentException("cache sizes must not be negative, were " + nodeCacheEntries
                        + " and " + edgeCacheEntries);
            }
            if (asyncFlushMillis < 1) {
                throw new IllegalArgumentException("asyncFlushMillis must be at least 1, was " + asyncFlushMillis);
            }
            if (walSegmentBytes < (1L << 16)) {
                throw new IllegalArgumentException("walSegmentBytes must be at least 64 KiB, was " + walSegmentBytes);
            }
            if (checkpointLogBytes < (1L << 16)) {
                throw new IllegalArgumentException("checkpointLogBytes must be at least 64 KiB, was " + checkpointLogBytes);
            }
            if (gcIntervalMillis < 1) {
                throw new IllegalArgumentException("gcIntervalMillis must be at least 1, was " + gcIntervalMillis);
            }
            if (maxOpenTransactions < 1) {
                throw new IllegalArgumentException("maxOpenTransactions must be at least 1, was " + maxOpenTransactions);
            }
            if (maxTransactionAgeMillis < 0) {
                throw new IllegalArgumentException("maxTransactionAgeMillis must not be negative, was "
                        + maxTransactionAgeMillis);
            }
            if (compressionThreshold < 16) {
                throw new IllegalArgumentException(
                        "compressionThreshold must be at least 16 bytes, was " + compressionThreshold);
            }
            if (maxTransactionAttempts < 1) {
                throw new IllegalArgumentException("maxTransactionAttempts must be at least 1, was "
                        + maxTransactionAttempts);
            }
            if (retryBackoffBaseMillis < 0) {
                throw new IllegalArgumentException("retryBackoffBaseMillis must not be negative, was "
                        + retryBackoffBaseMillis);
            }
            if (retryBackoffMaxMillis < retryBackoffBaseMillis || retryBackoffMaxMillis > MAX_RETRY_BACKOFF_MILLIS) {
                throw new IllegalArgumentException("retryBackoffMaxMillis must be from retryBackoffBaseMillis ("
                        + retryBackoffBaseMillis + ") to " + MAX_RETRY_BACKOFF_MILLIS + ", was " + retryBackoffMaxMillis);
            }
            return new GraphConfig(this);
        }
    }
}
