package dev.sablegraph.cli.csv;

import java.util.Locale;

/**
 * The value types of a typed column ({@code key:type}), as neo4j-admin names them, and how each
 * reads its text. Integral types become {@code Long} and floating types {@code Double}, as the
 * database stores them; each type still checks its own range ({@code int} is 32 bits). Numbers and
 * booleans may have blanks around them; strings are taken as they are.
 */
public enum ValueType {
    STRING, INT, LONG, SHORT, BYTE, FLOAT, DOUBLE, BOOLEAN, CHAR;

    /** The type named {@code name} (any case), or null when there is none by that name. */
    public static ValueType named(String name) {
        for (ValueType t : values()) {
            if (t.typeName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }

    /** The name a header uses. */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value of {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, when the text is not a value of this type
     */
    public Object parse(String text) {
        return switch (this) {
            case STRING -> text;
            case CHAR -> {
                if (text.codePointCount(0, text.length()) != 1) {
                    throw new IllegalArgumentException(quote(text) + " is not one character");
                }
                yield text;
            }
            case BOOLEAN -> {
                String t = text.strip();
                if (t.equalsIgnoreCase("true")) {
                    yield Boolean.TRUE;
                }
                if (t.equalsIgnoreCase("false")) {
                    yield Boolean.FALSE;
                }
                throw new IllegalArgumentException(quote(text) + " is not a boolean (true or false)");
            }
            case LONG -> integral(text, Long.MIN_VALUE, Long.MAX_VALUE);
            case INT -> integral(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case SHORT -> integral(text, Short.MIN_VALUE, Short.MAX_VALUE);
            case BYTE -> integral(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case DOUBLE -> floating(text, false);
            case FLOAT -> floating(text, true);
        };
    }

    private Long integral(String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(text) + " is not " + article() + " " + typeName());
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(quote(text) + " is out of range for " + typeName() + " (" + min + " to "
                    + max + ")");
        }
        return v;
    }

    private Double floating(String text, boolean single) {
        String t = text.strip();
        // Java's parser also takes hexadecimal and a trailing d or f: not numbers in a CSV file
        if (t.isEmpty() || t.indexOf('x') >= 0 || t.indexOf('X') >= 0 || "dDfF".indexOf(t.charAt(t.length() - 1)) >= 0) {
            throw new IllegalArgumentException(quote(text) + " is not " + article() + " " + typeName());
        }
        try {
            return single ? (double) Float.parseFloat(t) : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(text) + " is not " + article() + " " + typeName());
        }
    }

    private String article() {
        return this == INT ? "an" : "a";
    }

    private static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + shown + "'";
    }
}
