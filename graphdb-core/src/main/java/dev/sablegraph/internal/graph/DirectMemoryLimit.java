package dev.sablegraph.internal.graph;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The page cache lives in direct memory, which the JVM limits apart from the heap
 * ({@code -XX:MaxDirectMemorySize}; 0, the default, means the maximum heap). A cache beyond the
 * limit failed its allocation with an {@code OutOfMemoryError} that named neither setting.
 *
 * <p>Up front only the limit itself is checked: the memory in use counts buffers that are no longer
 * reachable until the collector frees them, which the JDK's allocator makes it do before it gives
 * up, so refusing on it would refuse opens that succeed (a process that opens and closes databases
 * repeatedly). When the allocation does fail, {@link #explain} says why.
 */
final class DirectMemoryLimit {
    private static final long MIB = 1L << 20;

    private DirectMemoryLimit() {}

    /** Refuses a page cache larger than the direct memory limit, naming both sizes. */
    static void requireRoomForPageCache(long pageCacheBytes) {
        requireRoomForPageCache(pageCacheBytes, limit());
    }

    static void requireRoomForPageCache(long pageCacheBytes, long limitBytes) {
        if (pageCacheBytes > limitBytes) {
            throw new IllegalArgumentException("pageCacheBytes of " + size(pageCacheBytes)
                    + " does not fit the direct memory limit of " + size(limitBytes) + " ("
                    + "-XX:MaxDirectMemorySize, by default the maximum heap): raise -XX:MaxDirectMemorySize"
                    + " or lower pageCacheBytes");
        }
    }

    /**
     * After an {@code OutOfMemoryError} while opening: an {@link IllegalArgumentException} naming
     * the sizes when direct memory is too short for the page cache beside the buffers in use, else
     * null (the error was about something else).
     */
    static IllegalArgumentException explain(long pageCacheBytes, OutOfMemoryError error) {
        long limit = limit();
        long inUse = inUse();
        if (limit == Long.MAX_VALUE || inUse < 0 || pageCacheBytes <= limit - inUse) {
            return null;
        }
        return new IllegalArgumentException("pageCacheBytes of " + size(pageCacheBytes)
                + " does not fit in direct memory: the limit is " + size(limit) + " (-XX:MaxDirectMemorySize,"
                + " by default the maximum heap) and " + size(inUse) + " are in use by other buffers (other open"
                + " databases among them): raise -XX:MaxDirectMemorySize, lower pageCacheBytes or close"
                + " databases", error);
    }

    /** The configured limit in bytes; {@link Long#MAX_VALUE} when this JVM does not say. */
    static long limit() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return Long.MAX_VALUE;
            }
            long configured = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            return limit(configured, Runtime.getRuntime().maxMemory());
        } catch (RuntimeException | LinkageError notHotSpot) {
            return Long.MAX_VALUE; // no way to know: the allocation itself will tell
        }
    }

    /** The flag's value, where 0 stands for the maximum heap. */
    static long limit(long maxDirectMemorySize, long maxHeapBytes) {
        return maxDirectMemorySize > 0 ? maxDirectMemorySize : maxHeapBytes;
    }

    /** Bytes of direct buffers allocated and not yet freed; -1 when unknown. */
    private static long inUse() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getTotalCapacity();
            }
        }
        return -1;
    }

    private static String size(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
