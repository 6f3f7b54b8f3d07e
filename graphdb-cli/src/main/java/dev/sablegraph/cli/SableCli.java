package dev.sablegraph.cli;

/** Placeholder. */
public final class SableCli {
    public static void main(String[] args) {
        picocli.CommandLine.class.getName();
        me.tongfei.progressbar.ProgressBar.class.getName();
    }
}
