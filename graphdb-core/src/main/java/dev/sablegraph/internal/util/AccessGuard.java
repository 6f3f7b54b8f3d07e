package dev.sablegraph.internal.util;

import dev.sablegraph.core.LockStrategy;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * Keeps readers of the graph apart from its writer, in the way {@link LockStrategy} names. A read
 * runs a side-effect-free operation; a write runs with everything else excluded. Guarded sections
 * must not nest: {@link StampedLock} is not reentrant, and a second read lock taken behind a
 * queued writer would deadlock.
 *
 * <p>Optimistic reads run the operation with no lock at all and keep its result only if no write
 * began meanwhile; an exception thrown while a write was under way is treated as a torn read and
 * retried. After a failed validation the read runs again under the read lock, so a stream of
 * writes can slow a reader down but never starve it.
 */
public abstract class AccessGuard {

    public static AccessGuard of(LockStrategy strategy) {
        return switch (strategy) {
            case GLOBAL_MUTEX -> new GlobalMutex();
            case READ_WRITE -> new ReadWrite();
            case OPTIMISTIC -> new Optimistic();
        };
    }

    public abstract <T> T read(Supplier<T> operation);

    public abstract <T> T write(Supplier<T> operation);

    public final void write(Runnable operation) {
        write(() -> {
            operation.run();
            return null;
        });
    }

    private static final class GlobalMutex extends AccessGuard {
        private final ReentrantLock mutex = new ReentrantLock();

        @Override
        public <T> T read(Supplier<T> operation) {
            return write(operation);
        }

        @Override
        public <T> T write(Supplier<T> operation) {
            mutex.lock();
            assert LockOrder.acquire(LockOrder.GRAPH);
            try {
                return operation.get();
            } finally {
                assert LockOrder.release(LockOrder.GRAPH);
                mutex.unlock();
            }
        }
    }

    private static final class ReadWrite extends AccessGuard {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

        @Override
        public <T> T read(Supplier<T> operation) {
            lock.readLock().lock();
            assert LockOrder.acquire(LockOrder.GRAPH);
            try {
                return operation.get();
            } finally {
                assert LockOrder.release(LockOrder.GRAPH);
                lock.readLock().unlock();
            }
        }

        @Override
        public <T> T write(Supplier<T> operation) {
            lock.writeLock().lock();
            assert LockOrder.acquire(LockOrder.GRAPH);
            try {
                return operation.get();
            } finally {
                assert LockOrder.release(LockOrder.GRAPH);
                lock.writeLock().unlock();
            }
        }
    }

    private static final class Optimistic extends AccessGuard {
        private final StampedLock lock = new StampedLock();

        @Override
        public <T> T read(Supplier<T> operation) {
            long stamp = lock.tryOptimisticRead();
            if (stamp != 0) {
                try {
                    T result = operation.get();
                    if (lock.validate(stamp)) {
                        return result;
                    }
                } catch (RuntimeException | AssertionError e) {
                    if (lock.validate(stamp)) {
                        throw e; // a real failure, not a torn read
                    }
                }
            }
            stamp = lock.readLock();
            assert LockOrder.acquire(LockOrder.GRAPH);
            try {
                return operation.get();
            } finally {
                assert LockOrder.release(LockOrder.GRAPH);
                lock.unlockRead(stamp);
            }
        }

        @Override
        public <T> T write(Supplier<T> operation) {
            long stamp = lock.writeLock();
            assert LockOrder.acquire(LockOrder.GRAPH);
            try {
                return operation.get();
            } finally {
                assert LockOrder.release(LockOrder.GRAPH);
                lock.unlockWrite(stamp);
            }
        }
    }
}
