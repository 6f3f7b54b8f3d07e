package dev.sablegraph.internal.graph;

import dev.sablegraph.core.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Argument checks shared by every API that takes names, label sets and directions. */
public final class Validation {
    private Validation() {}

    /** A label, edge type or other name: not null, not empty; the message names the argument. */
    public static String name(String what, String name) {
        if (name == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return name;
    }

    /** A name that may be null (meaning "any"), but not empty. */
    public static String optionalName(String what, String name) {
        return name == null ? null : name(what, name);
    }

    public static Direction direction(Direction direction) {
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
        return direction;
    }

    /** A label set: not null, every label a valid name. Returns the labels as a list. */
    public static List<String> labels(Set<String> labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        List<String> names = new ArrayList<>(labels.size());
        for (String l : labels) {
            names.add(name("label", l));
        }
        return names;
    }
}
