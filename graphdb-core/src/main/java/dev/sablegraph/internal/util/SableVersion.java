package dev.sablegraph.internal.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build of Sable, as the build wrote it into {@code sable-version.properties}. */
public final class SableVersion {
    private static final String VERSION = load();

    private SableVersion() {
    }

    /** @return the Maven project version of this build, or "(unknown version)" if the build left none */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = SableVersion.class.getResourceAsStream("sable-version.properties")) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "(unknown version)" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
