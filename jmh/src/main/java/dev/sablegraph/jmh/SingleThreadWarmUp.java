package dev.sablegraph.jmh;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs a trial's benchmark method on the setup thread for a while before JMH's warm-up, so that
 * the JIT has compiled it before the measured threads start.
 *
 * <p>Why: with 50 benchmark threads on two cores the compiler threads get a small share of the
 * CPU, and compiling a database's read path then takes tens of seconds; JMH's warm-up
 * iterations alone leave a 50-thread trial still speeding up while it is measured (seen in
 * Sable's and in Neo4j's 50-thread reads). One thread leaves the other core to the compiler.
 * The comparison with Neo4j gives both engines the same seconds of it.
 *
 * <p>The method is found by the benchmark's name and called by reflection: the call is slower
 * than JMH's, but what matters is that the method and everything it calls get hot.
 */
public final class SingleThreadWarmUp {
    /** System property: seconds of single-threaded warm-up per trial (the benchmark class sets the default). */
    public static final String SECONDS_PROPERTY = "bench.singleThreadWarmupSeconds";

    private SingleThreadWarmUp() {}

    /** The seconds asked for by {@link #SECONDS_PROPERTY}, or {@code defaultSeconds}. */
    public static double seconds(double defaultSeconds) {
        String v = System.getProperty(SECONDS_PROPERTY);
        if (v == null) {
            return defaultSeconds;
        }
        double s = Double.parseDouble(v);
        if (!(s >= 0)) {
            throw new IllegalArgumentException(SECONDS_PROPERTY + " must be a number of seconds >= 0, was " + v);
        }
        return s;
    }

    /**
     * Calls the method named by {@code benchmark} (JMH's {@link BenchmarkParams#getBenchmark},
     * {@code package.Class.method}) on {@code instance} for {@code seconds}; returns how many
     * calls it made (0 for 0 seconds).
     */
    public static long run(Object instance, String benchmark, double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        Method method = find(instance.getClass(), name);
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Object[] args = method.getParameterCount() == 0 ? new Object[0] : new Object[] {bh};
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long calls = 0;
        try {
            do { // at least one batch, even if this thread was descheduled past the end already
                for (int k = 0; k < 64; k++, calls++) {
                    bh.consume(method.invoke(instance, args));
                }
            } while (System.nanoTime() < end);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call benchmark " + name, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("benchmark " + name + " failed during warm-up", e.getCause());
        } finally {
            bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
        }
        return calls;
    }

    private static Method find(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            boolean takesBlackhole = m.getParameterCount() == 1 && m.getParameterTypes()[0] == Blackhole.class;
            if (m.getName().equals(name) && (m.getParameterCount() == 0 || takesBlackhole)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no benchmark method " + name + "() or " + name + "(Blackhole) in " + type.getName());
    }
}
