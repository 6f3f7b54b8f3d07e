package dev.sablegraph.stress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The failures the workload injects on purpose, chosen with {@code --faults}. Each has an outcome
 * the engine promises (docs/durability.md, "What a failure leaves behind"); anything else is a
 * violation.
 */
enum Fault {
    /** A random worker thread is interrupted now and then: its call completes, nobody else notices. */
    INTERRUPTS("interrupts"),
    /** A transaction needing more pages than the page cache: committed and visible whole, or not at all. */
    OVERSIZED("oversized"),
    /** A write beyond a format limit: refused at the call, the transaction still commits. */
    OVER_LIMIT("over-limit"),
    /** A transaction dropped without close(): the database rolls it back once it is unreachable. */
    ABANDONED("abandoned");

    final String optionName;

    Fault(String optionName) {
        this.optionName = optionName;
    }

    /** {@code all}, {@code none}, or a comma-separated list of fault names. */
    static Set<Fault> parse(String option, String value) throws UsageException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("all")) {
            return EnumSet.allOf(Fault.class);
        }
        if (v.equals("none")) {
            return EnumSet.noneOf(Fault.class);
        }
        Set<Fault> out = EnumSet.noneOf(Fault.class);
        for (String name : v.split(",", -1)) {
            Fault f = byName(name.trim());
            if (f == null) {
                throw new UsageException(option + ": '" + name.trim() + "' is not a fault; give all, none or a list of "
                        + names(EnumSet.allOf(Fault.class)));
            }
            out.add(f);
        }
        return out;
    }

    /** The inverse of {@link #parse}: {@code all}, {@code none} or the list. */
    static String format(Set<Fault> faults) {
        if (faults.size() == values().length) {
            return "all";
        }
        if (faults.isEmpty()) {
            return "none";
        }
        return names(EnumSet.copyOf(faults)); // in declaration order, whatever the set
    }

    private static Fault byName(String name) {
        for (Fault f : values()) {
            if (f.optionName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static String names(Iterable<Fault> faults) {
        List<String> names = new ArrayList<>();
        for (Fault f : faults) {
            names.add(f.optionName);
        }
        return String.join(",", names);
    }
}
