package dev.sablegraph.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of docs/guide.md is a snippet of {@link GuideExamplesTest}, word for word: the guide
 * is marked {@code <!-- snippet: NAME -->} before each block, the examples
 * {@code // snippet: NAME} ... {@code // end snippet}. So the guide's code compiles and runs.
 */
class GuideTest {
    private static final Path GUIDE = Path.of("..", "docs", "guide.md");
    private static final Path EXAMPLES = Path.of("src", "test", "java", "dev", "sablegraph", "guide",
            "GuideExamplesTest.java");
    private static final Pattern GUIDE_BLOCK = Pattern.compile(
            "(?:<!-- snippet: ([\\w-]+) -->\\s*\\n)?```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern EXAMPLE_REGION = Pattern.compile(
            "\\n([ \\t]*)// snippet: ([\\w-]+)\\n(.*?)\\n[ \\t]*// end snippet", Pattern.DOTALL);

    @Test
    void everyJavaBlockOfTheGuideIsACompiledSnippet() throws IOException {
        Map<String, String> snippets = regions(Files.readString(EXAMPLES));
        Matcher m = GUIDE_BLOCK.matcher(Files.readString(GUIDE));
        List<String> used = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            if (name == null) {
                fail("a java block of the guide has no <!-- snippet: NAME --> marker:\n" + m.group(2));
            }
            assertTrue(snippets.containsKey(name), "no snippet '" + name + "' in " + EXAMPLES);
            assertEquals(snippets.get(name), m.group(2).stripTrailing(), "guide block '" + name + "' differs from "
                    + EXAMPLES);
            used.add(name);
        }
        assertTrue(used.size() >= 5, "the guide shows its code: " + used);
        List<String> unused = new ArrayList<>(snippets.keySet());
        unused.removeAll(used);
        assertEquals(List.of(), unused, "snippets the guide does not show");
    }

    /** Snippet regions with their common indentation removed. */
    private static Map<String, String> regions(String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = EXAMPLE_REGION.matcher(source);
        while (m.find()) {
            String indent = m.group(1);
            StringBuilder b = new StringBuilder();
            for (String line : m.group(3).split("\n", -1)) {
                b.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
            }
            if (out.put(m.group(2), b.toString().stripTrailing()) != null) {
                fail("snippet '" + m.group(2) + "' appears twice");
            }
        }
        return out;
    }
}
