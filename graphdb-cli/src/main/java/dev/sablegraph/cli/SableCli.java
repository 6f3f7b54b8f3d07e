package dev.sablegraph.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code sable} command: bulk import, export, integrity check, statistics, backup and a Gremlin
 * console of a Sable database directory (docs/cli.md). Exit codes: 0 on success, 1 when a check finds damage or the
 * input or database cannot be used (the message names the file, and for CSV the line and column),
 * 2 on a bad command line.
 */
@Command(name = "sable", mixinStandardHelpOptions = true, versionProvider = SableVersion.class,
        description = "Command-line tool of the Sable graph database.",
        subcommands = {ImportCommand.class, ExportCommand.class, CheckCommand.class, StatsCommand.class,
                BackupCommand.class, GremlinCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:damage found, bad input, a failed Gremlin query, or the database or a file"
                + " cannot be used",
                "2:bad command line"})
public final class SableCli implements Runnable {
    /** Exit code when a check finds damage, or input or a database cannot be used. */
    public static final int FAILED = 1;
    /** Exit code of a bad command line (picocli's usage error). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    private CommandSpec spec;

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Runs the tool with its output on {@code out} and errors on {@code err}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.in, out, err, args);
    }

    /**
     * Runs the tool reading {@code in} where it reads standard input ({@code sable gremlin}), with its
     * output on {@code out} and errors on {@code err}; returns the exit code.
     */
    public static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new SableCli());
        ((GremlinCommand) cli.getSubcommands().get("gremlin").getCommand()).input = in;
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
            return FAILED;
        });
        return cli.execute(args);
    }

    /** The message of a failure, its cause's when it has none of its own. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getCause() != null ? describe(e.getCause()) : e.getClass().getSimpleName();
        }
        return m;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing: import, export, check,"
                + " stats, backup or gremlin (sable help COMMAND tells more)");
    }
}
