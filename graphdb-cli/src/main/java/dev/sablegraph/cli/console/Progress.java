package dev.sablegraph.cli.console;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of one long step, drawn on the terminal with a progress bar (done, total, rate, time
 * left) when it has one; silent when the output is not a terminal or {@code --quiet} was given, so
 * that scripts and logs get only the final report. Updates are cheap; call them as often as
 * convenient.
 */
public final class Progress implements AutoCloseable {
    private static final Progress SILENT = new Progress(null);

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Starts showing a step.
     *
     * @param shown whether to draw at all (see {@link #terminalAttached()})
     * @param total the amount of work in {@code unit}s' base quantity (-1 when unknown)
     * @param unit the unit shown ("MB", "nodes")
     * @param unitSize how many of the base quantity make one unit (2<sup>20</sup> for bytes as MB)
     */
    public static Progress start(boolean shown, String task, long total, String unit, long unitSize) {
        if (!shown) {
            return SILENT;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, unitSize).showSpeed()
                .setUpdateIntervalMillis(500).build();
        return new Progress(bar);
    }

    /** Whether this process writes to a terminal: only then is progress drawn. */
    public static boolean terminalAttached() {
        return System.console() != null;
    }

    /** How much is done, in the base quantity. */
    public void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    /** A short text shown after the bar (counts, rates). */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
