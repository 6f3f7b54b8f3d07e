package dev.sablegraph.internal.storage;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct buffers that are given back when {@link #free} is called, not when the garbage collector
 * gets to them: a program that opens and closes page caches (a test suite, a service with a
 * database per tenant) would otherwise run out of direct memory while the closed caches' buffers
 * wait for a collection.
 *
 * <p>Java 17 has no public way to free a direct buffer. This uses
 * {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, open without flags on
 * Java 17 to 25), found by reflection so that nothing breaks where it is missing: then
 * {@code free} does nothing and the garbage collector frees the memory as before. Java 24 and
 * later print a one-time warning on its first use unless the JVM runs with
 * {@code --sun-misc-unsafe-memory-access=allow}. Memory from {@code java.lang.foreign} arenas
 * would avoid it, but is not counted against {@code -XX:MaxDirectMemorySize} (which the README
 * tells users to size) and is freed with a handshake of every thread.
 *
 * <p>The buffers stay ordinary {@link ByteBuffer#allocateDirect} buffers: counted in the
 * {@code direct} buffer pool and limited by {@code -XX:MaxDirectMemorySize}.
 *
 * <p>Freeing is the caller's promise that no thread will touch a buffer, or any slice of one,
 * again: reading freed memory crashes the JVM. {@link PageCache} keeps that promise with its
 * {@link CloseGate}.
 */
final class DirectMemory {
    private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

    private final List<ByteBuffer> buffers = new ArrayList<>(); // guarded by this
    private boolean freed; // guarded by this

    /** A zeroed direct buffer of {@code bytes}, freed by {@link #free}. */
    synchronized ByteBuffer allocate(int bytes) {
        if (freed) {
            throw new IllegalStateException("direct memory already freed");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        buffers.add(buffer);
        return buffer;
    }

    /** Frees every buffer allocated here; idempotent. See the class comment for the promise it needs. */
    synchronized void free() {
        if (freed) {
            return;
        }
        freed = true;
        for (ByteBuffer buffer : buffers) {
            if (!release(buffer)) {
                break; // refused (a later JDK may deny it): the garbage collector frees them instead
            }
        }
        buffers.clear();
    }

    /**
     * Gives back the memory of one direct buffer, or unmaps one mapped buffer, now; false when
     * that is refused or unavailable (then the garbage collector does it once the buffer is
     * unreachable). The same promise as {@link #free}: no thread touches the buffer again.
     */
    static boolean release(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return false;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle findInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
