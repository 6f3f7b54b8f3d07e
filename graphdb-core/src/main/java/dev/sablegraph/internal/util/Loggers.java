package dev.sablegraph.internal.util;

/**
 * The loggers Sable writes to, one per area (docs/operations.md, "Logging"). They are
 * {@link System.Logger}s, so the core needs no logging library: the JDK sends them to
 * {@code java.util.logging} by default, and an application routes them elsewhere (SLF4J, Log4j)
 * by installing a {@link System.LoggerFinder}. Quiet by default: at {@code INFO} a database that
 * opens and closes normally writes two lines.
 */
public final class Loggers {
    /** Open (configuration, recovery), close, refused opens, failures that stop writes. */
    public static final System.Logger DATABASE = System.getLogger("dev.sablegraph.database");
    /** Each checkpoint: {@code DEBUG}, or {@code INFO} when it took longer than {@link #SLOW_CHECKPOINT_MILLIS}. */
    public static final System.Logger CHECKPOINT = System.getLogger("dev.sablegraph.checkpoint");
    /** Transactions the database ended: aborted for their age, or dropped without {@code close()}. */
    public static final System.Logger TRANSACTION = System.getLogger("dev.sablegraph.transaction");

    /** A checkpoint that took longer than this is logged at {@code INFO}. */
    public static final long SLOW_CHECKPOINT_MILLIS = 1_000;

    private Loggers() {}
}
