package dev.sablegraph.cli.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --nodes} or {@code --relationships} value, {@code [NAMES=]FILE[,FILE...]}: the files
 * in order (the first file's first line is the header of all of them) and the names given before
 * the {@code =}: labels for every node ({@code A:B}), or the type of every relationship whose
 * {@code :TYPE} field is missing or empty.
 *
 * @param names labels, or the default relationship type (at most one); empty when none
 * @param files the files as the user wrote them
 */
public record InputSpec(List<String> names, List<String> files) {
    public InputSpec {
        names = List.copyOf(names);
        files = List.copyOf(files);
    }

    /**
     * Parses an option value.
     *
     * @throws IllegalArgumentException naming the option, when the value is malformed
     */
    public static InputSpec parse(String option, String value, boolean relationships) {
        int eq = value.indexOf('=');
        String prefix = eq < 0 ? "" : value.substring(0, eq);
        String fileList = eq < 0 ? value : value.substring(eq + 1);
        List<String> names = new ArrayList<>();
        if (!prefix.isEmpty()) {
            for (String n : relationships ? new String[] {prefix} : prefix.split(":", -1)) {
                if (n.isEmpty()) {
                    throw new IllegalArgumentException(option + "=" + value + ": an empty "
                            + (relationships ? "type" : "label") + " before '='");
                }
                names.add(n);
            }
        }
        List<String> files = new ArrayList<>();
        for (String f : fileList.split(",", -1)) {
            if (f.isEmpty()) {
                throw new IllegalArgumentException(option + "=" + value + ": an empty file name");
            }
            files.add(f);
        }
        return new InputSpec(names, files);
    }

    /** The files as paths. */
    public List<Path> paths() {
        return files.stream().map(Path::of).toList();
    }
}
