package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application module that {@code requires dev.sablegraph.concurrent} (README.md, "Using Sable on
 * the module path"): it compiles and runs against the API, the internals are closed to it, and
 * what the engine needs at run time (lz4, the management beans) resolves. The tests themselves run
 * on the class path, where module-info is ignored, so only a separate javac and JVM can tell.
 */
class ModulePathTest {
    /** The modules an application needs: Sable's two and their run-time dependencies. */
    private static final Set<String> MODULES = Set.of("dev.sablegraph.concurrent", "dev.sablegraph.core",
            "com.github.benmanes.caffeine", "org.lz4.java");

    private static final String APP_MODULE = "module app { requires dev.sablegraph.concurrent; }";

    /** Opens a database, commits a property large enough to be compressed, reopens and reads it. */
    private static final String APP_MAIN = """
            package app;

            import dev.sablegraph.concurrent.ConcurrentGraphDB;
            import dev.sablegraph.concurrent.Transaction;
            import dev.sablegraph.core.GraphConfig;
            import java.nio.file.Path;
            import java.util.Map;
            import java.util.Set;

            public class Main {
                public static void main(String[] args) {
                    Path dir = Path.of(args[0]);
                    GraphConfig config = GraphConfig.builder().pageCacheBytes(Long.parseLong(args[1])).build();
                    try {
                        long id;
                        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config);
                                Transaction tx = db.begin()) {
                            id = tx.addNode(Set.of("Doc"), Map.of("text", "abc".repeat(1000)));
                            tx.commit();
                        }
                        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config);
                                Transaction tx = db.begin()) {
                            System.out.println("read " + ((String) tx.getNode(id).orElseThrow()
                                    .properties().get("text")).length());
                        }
                    } catch (IllegalArgumentException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private String modulePath;

    @BeforeEach
    void findModules() {
        Map<String, String> found = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            moduleName(Path.of(entry)).filter(MODULES::contains).ifPresent(name -> found.put(name, entry));
        }
        assertEquals(MODULES, found.keySet(), "on the class path: " + System.getProperty("java.class.path"));
        modulePath = String.join(File.pathSeparator, found.values());
    }

    @Test
    void anApplicationModuleUsesTheApi() throws Exception {
        Path app = compile(APP_MAIN);
        assertEquals("read 3000", run(app, 64L << 20));
    }

    @Test
    void theDirectMemoryCheckWorksOnTheModulePath() throws Exception {
        // It reads the limit from the HotSpot diagnostic bean (jdk.management): unresolved, the
        // check would pass silently and the allocation fail with a bare OutOfMemoryError.
        Path app = compile(APP_MAIN);
        String out = run(app, 1L << 30, "-XX:MaxDirectMemorySize=64m");
        assertTrue(out.startsWith("refused: ") && out.contains("MaxDirectMemorySize"), out);
    }

    @Test
    void theInternalsAreClosedToAnApplicationModule() throws Exception {
        String source = APP_MAIN.replace("import java.nio.file.Path;",
                "import java.nio.file.Path;\nimport dev.sablegraph.internal.storage.Pager;");
        StringWriter errors = new StringWriter();
        assertNull(compile(source, errors), "an application module compiled against an internal package");
        assertTrue(errors.toString().contains("does not export it to module app"), errors.toString());
    }

    private Path compile(String main) throws IOException {
        StringWriter errors = new StringWriter();
        Path out = compile(main, errors);
        assertNotNull(out, errors.toString());
        return out;
    }

    /** The compiled application's directory, or null when javac refused it ({@code errors} says why). */
    private Path compile(String main, StringWriter errors) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), APP_MODULE);
        Files.writeString(src.resolve("app").resolve("Main.java"), main);
        Path out = dir.resolve("classes");
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        PrintWriter log = new PrintWriter(errors, true);
        // An empty class path: in this JVM javac would otherwise take the tests' class path, which
        // holds every package of Sable, closed or not, in the unnamed module.
        Path noClassPath = Files.createDirectories(dir.resolve("empty"));
        int status = javac.run(log, log, "--release", "17", "--class-path", noClassPath.toString(),
                "--module-path", modulePath,
                "-d", out.toString(), src.resolve("module-info.java").toString(),
                src.resolve("app").resolve("Main.java").toString());
        return status == 0 ? out : null;
    }

    /** Runs the application in a JVM of its own, on the module path only; returns its output. */
    private String run(Path app, long pageCacheBytes, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("--module-path", app + File.pathSeparator + modulePath, "-m", "app/app.Main",
                dir.resolve("graph").toString(), Long.toString(pageCacheBytes)));
        // Standard error apart: newer JDKs warn there about lz4's native library and Unsafe.
        Path errors = dir.resolve("stderr.txt");
        Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out;
        try (InputStream in = child.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the application did not finish");
        assertEquals(0, child.exitValue(), () -> out + "\n" + readQuietly(errors));
        return out;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** The module an entry of the class path would be on the module path, if it has a name. */
    private static Optional<String> moduleName(Path entry) {
        try {
            if (Files.isDirectory(entry)) { // a reactor module's classes: a module only with module-info
                Path descriptor = entry.resolve("module-info.class");
                if (!Files.exists(descriptor)) {
                    return Optional.empty();
                }
                try (InputStream in = Files.newInputStream(descriptor)) {
                    return Optional.of(ModuleDescriptor.read(in).name());
                }
            }
            return ModuleFinder.of(entry).findAll().stream().findFirst().map(ModuleReference::descriptor)
                    .map(ModuleDescriptor::name);
        } catch (IOException | FindException | IllegalArgumentException e) {
            return Optional.empty(); // no name to be had: not one of ours
        }
    }
}
