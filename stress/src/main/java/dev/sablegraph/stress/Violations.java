package dev.sablegraph.stress;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every violation of a run, from any thread. The first {@value #PRINTED} are printed the moment they
 * are found (a run stops soon after the first, but workers already in flight may add more, and a
 * broken database can produce them by the thousand); the rest are only counted.
 */
final class Violations {
    private static final int PRINTED = 100;

    private final AtomicLong count = new AtomicLong();
    private final PrintStream out;

    Violations(PrintStream out) {
        this.out = out;
    }

    void add(Violation v) {
        if (count.incrementAndGet() <= PRINTED) {
            synchronized (out) {
                out.println(v);
                out.flush();
            }
        }
    }

    void addAll(Collection<Violation> vs) {
        vs.forEach(this::add);
    }

    /** An exception no operation expects (not a write conflict) is a failure of the run too. */
    void unexpected(String where, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        add(new Violation("unexpected-exception", -1, where + ": " + trace.toString().stripTrailing()));
    }

    boolean any() {
        return count.get() > 0;
    }

    long count() {
        return count.get();
    }
}
