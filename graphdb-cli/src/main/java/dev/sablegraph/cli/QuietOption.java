package dev.sablegraph.cli;

import dev.sablegraph.cli.console.Progress;
import picocli.CommandLine.Option;

/** {@code --quiet}: no progress bars (they are drawn only on a terminal anyway). */
final class QuietOption {
    @Option(names = {"-q", "--quiet"}, description = "Draw no progress bars (none are drawn when the output is not"
            + " a terminal either).")
    boolean quiet;

    boolean showProgress() {
        return !quiet && Progress.terminalAttached();
    }
}
