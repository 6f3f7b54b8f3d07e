package dev.sablegraph.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The tool's version, from the build (a filtered resource). */
final class SableVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = SableVersion.class.getResourceAsStream("sable-cli.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"sable " + p.getProperty("version", "(unknown version)")};
    }
}
