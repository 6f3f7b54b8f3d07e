package dev.sablegraph.cli.load;

import java.util.HashMap;
import java.util.Map;

/**
 * The id groups of an import ({@code :ID(group)}; {@code :ID} is the default group, named
 * {@code ""}): each an {@link IdSpace} of its own, all charged to one {@link MemoryBudget}.
 */
final class IdGroups {
    private final MemoryBudget budget;
    private final Map<String, IdSpace> groups = new HashMap<>();

    IdGroups(MemoryBudget budget) {
        this.budget = budget;
    }

    /** The group's ids, created empty when a node file names it first. */
    IdSpace define(String group) {
        return groups.computeIfAbsent(group, g -> new IdSpace("the id map of " + describe(g), budget));
    }

    /** The group's ids, or null when no node file defined the group. */
    IdSpace find(String group) {
        return groups.get(group);
    }

    /** How messages name a group. */
    static String describe(String group) {
        return group.isEmpty() ? "the default id group" : "id group '" + group + "'";
    }

    long bytesUsed() {
        return budget.used();
    }
}
