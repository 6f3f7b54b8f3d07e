package dev.sablegraph.cli.gremlin;

import dev.sablegraph.gremlin.SableGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.script.Bindings;
import javax.script.ScriptException;
import org.apache.tinkerpop.gremlin.jsr223.GremlinLangScriptEngine;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;

/**
 * Evaluates Gremlin queries against a {@link SableGraph} through gremlin-language's
 * {@link GremlinLangScriptEngine} (the Gremlin grammar, no Groovy), each in a transaction of its own:
 * results are printed one per line as the traversal yields them, then the transaction commits; a
 * query that fails (to parse, to run or to commit) is rolled back and its error printed, and the
 * next query runs as if it had not been given.
 */
public final class GremlinConsole {
    private static final String PROMPT = "gremlin> ";

    private final SableGraph graph;
    private final GremlinLangScriptEngine engine = new GremlinLangScriptEngine();
    private final Bindings bindings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String name;

    /**
     * A console over {@code graph}, which queries name {@code g}.
     *
     * @param graph the graph the queries read and write
     * @param out where results go, one per line
     * @param err where errors go, each prefixed with {@code name}
     * @param name the command's name, for error messages
     */
    public GremlinConsole(SableGraph graph, PrintWriter out, PrintWriter err, String name) {
        this.graph = graph;
        this.out = out;
        this.err = err;
        this.name = name;
        this.bindings = engine.createBindings();
        bindings.put("g", graph.traversal());
    }

    /**
     * Runs every non-blank line of {@code lines} as a query, going on after a failed one.
     *
     * @param lines the queries, one per line
     * @param prompt whether to print a prompt before each line (when a person types them)
     * @return true when every query succeeded
     */
    public boolean runLines(BufferedReader lines, boolean prompt) {
        boolean ok = true;
        int number = 0;
        try {
            while (true) {
                if (prompt) {
                    out.print(PROMPT);
                    out.flush();
                }
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                number++;
                if (!line.isBlank()) {
                    ok &= evaluate(line, "line " + number + ": ");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queries: " + e.getMessage(), e);
        }
        if (prompt) {
            out.println();
        }
        out.flush();
        return ok;
    }

    /**
     * Runs one query.
     *
     * @param query the Gremlin query
     * @return true when it succeeded
     */
    public boolean run(String query) {
        return evaluate(query, "");
    }

    private boolean evaluate(String query, String where) {
        try {
            print(engine.eval(query, bindings));
            if (graph.tx().isOpen()) {
                graph.tx().commit();
            }
            return true;
        } catch (ScriptException | RuntimeException e) {
            out.flush();
            if (graph.tx().isOpen()) {
                graph.tx().rollback();
            }
            err.println(name + ": " + where + describe(e) + " (rolled back)");
            err.flush();
            return false;
        } finally {
            out.flush();
        }
    }

    /** Prints what a query gave: each result of a traversal or iterator, else the value itself. */
    private void print(Object result) {
        if (result instanceof Traversal<?, ?> t) {
            t.forEachRemaining(out::println);
        } else if (result instanceof Iterator<?> it) {
            it.forEachRemaining(out::println);
        } else if (result instanceof Iterable<?> all && !(result instanceof java.util.Map<?, ?>)) {
            all.forEach(out::println);
        } else if (result != null) {
            out.println(result);
        }
    }

    /** The most telling message of a failure: the deepest cause that says something. */
    static String describe(Throwable e) {
        Throwable best = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                best = c;
            }
        }
        String m = best.getMessage();
        return m == null || m.isBlank() ? best.getClass().getSimpleName() : m;
    }
}
