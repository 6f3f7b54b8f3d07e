package dev.sablegraph.cli.csv;

/**
 * How a CSV file separates fields and array elements. Fields are quoted with {@code "} as RFC 4180
 * says: a quoted field may hold delimiters, quotes (doubled) and line breaks; a backslash is an
 * ordinary character.
 *
 * @param delimiter between fields (default {@code ,})
 * @param arrayDelimiter between the elements of an array value and between labels (default {@code ;})
 */
public record CsvFormat(char delimiter, char arrayDelimiter) {
    public static final char QUOTE = '"';
    public static final CsvFormat DEFAULT = new CsvFormat(',', ';');

    public CsvFormat {
        for (char c : new char[] {delimiter, arrayDelimiter}) {
            if (c == QUOTE || c == '\n' || c == '\r') {
                throw new IllegalArgumentException("a delimiter cannot be a quote or a line break");
            }
        }
        if (delimiter == arrayDelimiter) {
            throw new IllegalArgumentException("the delimiter and the array delimiter must differ (both are '"
                    + delimiter + "')");
        }
    }

    /**
     * A delimiter as given on the command line: one character, or {@code TAB} / {@code \t} for a
     * tab (as neo4j-admin takes it).
     */
    public static char parseDelimiter(String option, String text) {
        if (text.equals("\\t") || text.equalsIgnoreCase("TAB")) {
            return '\t';
        }
        if (text.length() != 1) {
            throw new IllegalArgumentException(option + " must be one character (or TAB), not '" + text + "'");
        }
        return text.charAt(0);
    }
}
