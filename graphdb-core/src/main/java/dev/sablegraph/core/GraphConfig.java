package dev.sablegraph.core;

/**
 * Settings of an open database. Immutable; build with {@link #builder()}. Settings that shape the
 * file (the page size) are taken from the file when it already exists.
 */
public final class GraphConfig {
    public static final int DEFAULT_PAGE_SIZE = 8192;
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

    public static GraphConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Upper bound of the page cache in bytes: the cache holds up to {@code pageCacheBytes / pageSize}
     * frames, made as pages are touched (an empty database does not pay for the whole cache).
     */
    public long pageCacheBytes() {
        return pageCacheBytes;
    }

    /** Page size for a new database file: a power of two from 4 KiB to 64 KiB. */
    public int pageSize() {
        return pageSize;
    }

    /** Records at least this long are lz4-compressed when that saves space. */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** How readers and writers are kept apart; see {@link LockStrategy}. */
    public LockStrategy lockStrategy() {
        return lockStrategy;
    }

    /** Decoded nodes kept in the node cache (Caffeine, bounded by entry count). */
    public long nodeCacheEntries() {
        return nodeCacheEntries;
    }

    /** Decoded edges kept in the edge cache. */
    public long edgeCacheEntries() {
        return edgeCacheEntries;
    }

    /**
     * How often the background collector reclaims old versions, in milliseconds, while there is
     * anything to reclaim or a transaction is open; an idle database's collector sleeps.
     */
    public long gcIntervalMillis() {
        return gcIntervalMillis;
    }

    /** When commit returns relative to the disk; see {@link Durability}. */
    public Durability durability() {
        return durability;
    }

    /** With {@link Durability#ASYNC}, how often the log is forced: the most a crash can lose. */
    public long asyncFlushMillis() {
        return asyncFlushMillis;
    }

    /**
     * The size a write-ahead log segment grows to (it starts at 64 KiB and is preallocated a step
     * at a time); also the largest commit record.
     */
    public long walSegmentBytes() {
        return walSegmentBytes;
    }

    /** A checkpoint starts once this much log was written since the last one (bounds recovery time). */
    public long checkpointLogBytes() {
        return checkpointLogBytes;
    }

    /**
     * How many transactions may be open at once; {@code begin()} beyond it fails at once with a
     * {@link GraphException} (a leak of unclosed transactions shows up there, not as a hang).
     */
    public int maxOpenTransactions() {
        return maxOpenTransactions;
    }

    /**
     * A transaction open longer than this is aborted by the database (0: never): its snapshot no
     * longer holds back the reclamation of old versions, and its next call throws.
     */
    public long maxTransactionAgeMillis() {
        return maxTransactionAgeMillis;
    }

    /**
     * Whether the open database publishes its metrics as JMX MBeans (docs/operations.md, "Metrics");
     * {@code metricsSnapshot()} works either way. Off saves a short-lived tool the one-time start of
     * the platform MBean server (a few hundred milliseconds) when nothing else in the JVM uses JMX.
     */
    public boolean jmxMetrics() {
        return jmxMetrics;
    }

    /**
     * How many times {@code ConcurrentGraphDB.inTransaction} runs its work at most: the first
     * attempt and the retries after write conflicts. When the last attempt conflicts too, its
     * {@link WriteConflictException} is thrown, naming the count.
     */
    public int maxTransactionAttempts() {
        return maxTransactionAttempts;
    }

    /**
     * The backoff before the first retry of {@code inTransaction}, in milliseconds: the wait before
     * retry {@code n} is drawn uniformly from 0 to {@code min(retryBackoffMaxMillis,
     * retryBackoffBaseMillis · 2^(n-1))} (exponential backoff with full jitter). 0 retries at once.
     */
    public long retryBackoffBaseMillis() {
        return retryBackoffBaseMillis;
    }

    /** The cap of the exponential backoff of {@code inTransaction}; see {@link #retryBackoffBaseMillis()}. */
    public long retryBackoffMaxMillis() {
        return retryBackoffMaxMillis;
    }

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

        /** See {@link GraphConfig#jmxMetrics()}; default true. */
        public Builder jmxMetrics(boolean publish) {
            this.jmxMetrics = publish;
            return this;
        }

        /** See {@link GraphConfig#maxTransactionAttempts()}; default 10, at least 1. */
        public Builder maxTransactionAttempts(int attempts) {
            this.maxTransactionAttempts = attempts;
            return this;
        }

        /** See {@link GraphConfig#retryBackoffBaseMillis()}; default 1 ms, 0 or more. */
        public Builder retryBackoffBaseMillis(long millis) {
            this.retryBackoffBaseMillis = millis;
            return this;
        }

        /** See {@link GraphConfig#retryBackoffMaxMillis()}; default 100 ms, at least the base, at most 60,000. */
        public Builder retryBackoffMaxMillis(long millis) {
            this.retryBackoffMaxMillis = millis;
            return this;
        }

        /** See {@link GraphConfig#maxOpenTransactions()}; default 4,096. */
        public Builder maxOpenTransactions(int count) {
            this.maxOpenTransactions = count;
            return this;
        }

        /** See {@link GraphConfig#maxTransactionAgeMillis()}; default 0, no limit. */
        public Builder maxTransactionAgeMillis(long millis) {
            this.maxTransactionAgeMillis = millis;
            return this;
        }

        public Builder durability(Durability d) {
            if (d == null) {
                throw new IllegalArgumentException("durability must not be null");
            }
            this.durability = d;
            return this;
        }

        public Builder asyncFlushMillis(long millis) {
            this.asyncFlushMillis = millis;
            return this;
        }

        public Builder walSegmentBytes(long bytes) {
            this.walSegmentBytes = bytes;
            return this;
        }

        public Builder checkpointLogBytes(long bytes) {
            this.checkpointLogBytes = bytes;
            return this;
        }

        public Builder nodeCacheEntries(long entries) {
            this.nodeCacheEntries = entries;
            return this;
        }

        public Builder edgeCacheEntries(long entries) {
            this.edgeCacheEntries = entries;
            return this;
        }

        public Builder gcIntervalMillis(long millis) {
            this.gcIntervalMillis = millis;
            return this;
        }

        public Builder lockStrategy(LockStrategy strategy) {
            if (strategy == null) {
                throw new IllegalArgumentException("lockStrategy must not be null");
            }
            this.lockStrategy = strategy;
            return this;
        }

        public Builder pageCacheBytes(long bytes) {
            this.pageCacheBytes = bytes;
            return this;
        }

        public Builder pageSize(int bytes) {
            this.pageSize = bytes;
            return this;
        }

        public Builder compressionThreshold(int bytes) {
            this.compressionThreshold = bytes;
            return this;
        }

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
