package dev.sablegraph.internal.util;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Streams whose elements are computed one at a time, so large results never sit in memory. */
public final class LazyStream {
    private LazyStream() {}

    /** A sequential, ordered stream of what {@code next} returns, ending at the first null. */
    public static <T> Stream<T> of(Supplier<T> next) {
        Iterator<T> it = new Iterator<>() {
            private T pending;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (pending == null && !done) {
                    pending = next.get();
                    done = pending == null;
                }
                return pending != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T t = pending;
                pending = null;
                return t;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
