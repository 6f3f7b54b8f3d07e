package dev.sablegraph.cli;

import dev.sablegraph.cli.gremlin.GremlinConsole;
import dev.sablegraph.gremlin.SableGraph;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.commons.configuration2.BaseConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sable gremlin DIR}: Gremlin queries (gremlin-language, no Groovy) against the database as a
 * {@link SableGraph}, one per line from standard input, or one given with {@code -e}. Each query runs
 * in its own transaction, committed when it succeeds and rolled back when it fails; the console goes
 * on after a failed line. Exit code 1 when a query failed.
 */
@Command(name = "gremlin", mixinStandardHelpOptions = true,
        description = "Runs Gremlin queries (as g.V().has('name','Ada').out('knows').values('name')) against a"
                + " database: one per line from standard input, or one with -e. Each query is a transaction of its"
                + " own, committed when it succeeds (so g.addV(...) writes) and rolled back when it fails; results"
                + " are printed one per line.")
final class GremlinCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    Path dir;

    @Option(names = {"-e", "--eval"}, paramLabel = "QUERY", description = "Runs this one query instead of reading"
            + " queries from standard input.")
    String query;

    @Option(names = "--create", description = "Creates an empty database when DIR holds none (by default only an"
            + " existing database is opened).")
    boolean create;

    @Mixin
    DatabaseOptions database;

    /** Where queries are read from when no {@code -e} is given; standard input unless a test sets it. */
    InputStream input = System.in;

    @Override
    public Integer call() {
        if (!create) {
            DatabaseOptions.requireDatabase(dir);
        }
        BaseConfiguration conf = new BaseConfiguration();
        conf.setProperty(SableGraph.CONFIG_DIRECTORY, dir.toString());
        conf.setProperty("sable.pageCacheBytes", Long.toString(database.pageCache));
        try (SableGraph graph = SableGraph.open(conf)) {
            GremlinConsole console = new GremlinConsole(graph, spec.commandLine().getOut(),
                    spec.commandLine().getErr(), spec.qualifiedName());
            boolean ok = query != null ? console.run(query) : console.runLines(lines(), interactive());
            return ok ? 0 : SableCli.FAILED;
        }
    }

    private BufferedReader lines() {
        return new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    }

    /** A prompt only when a person types the queries. */
    private boolean interactive() {
        return input == System.in && System.console() != null;
    }
}
