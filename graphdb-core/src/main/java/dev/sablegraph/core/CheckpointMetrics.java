package dev.sablegraph.core;

/**
 * Checkpoints since open. The <em>switch</em> is the part during which commits and writers wait
 * (a copy of the dirty pages under the commit lock and the exclusive guard); the rest (forcing
 * the log, writing the double-write image and the pages) runs beside them.
 *
 * @param checkpoints completed checkpoints
 * @param pagesWritten dirty pages written by them
 * @param maxSwitchMicros the longest switch
 * @param totalSwitchMicros all switches together
 * @param maxMillis the longest checkpoint, switch to control file
 * @param totalMillis all checkpoints together
 * @param lastMillis the most recent checkpoint (0 before the first)
 */
public record CheckpointMetrics(long checkpoints, long pagesWritten, long maxSwitchMicros, long totalSwitchMicros,
        long maxMillis, long totalMillis, long lastMillis) {

    /**
     * Mean switch length, 0 before the first checkpoint.
     *
     * @return the mean switch in microseconds
     */
    public double meanSwitchMicros() {
        return checkpoints == 0 ? 0 : (double) totalSwitchMicros / checkpoints;
    }
}
