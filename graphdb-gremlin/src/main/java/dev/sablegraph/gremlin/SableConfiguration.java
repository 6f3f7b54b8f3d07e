package dev.sablegraph.gremlin;

import dev.sablegraph.core.GraphConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Locale;
import org.apache.commons.configuration2.Configuration;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;

/**
 * Reads a TinkerPop {@link Configuration}: {@value #DIRECTORY} names the database directory, every
 * other {@code sable.X} key sets the {@link GraphConfig.Builder} setting {@code X} (by the builder's
 * method of that name, so each setting GraphConfig has is reachable), except the keys of the Gremlin
 * layer itself under {@code sable.gremlin.}. An unknown key or a value that does not parse is an
 * {@link IllegalArgumentException} naming it.
 */
final class SableConfiguration {
    static final String PREFIX = "sable.";
    static final String DIRECTORY = "sable.directory";
    static final String CARDINALITY = "sable.gremlin.vertexPropertyCardinality";

    private SableConfiguration() {}

    static String directory(Configuration conf) {
        String dir = conf.getString(DIRECTORY, null);
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("the configuration must name the database directory in " + DIRECTORY);
        }
        return dir;
    }

    static VertexProperty.Cardinality cardinality(Configuration conf) {
        String c = conf.getString(CARDINALITY, VertexProperty.Cardinality.single.name());
        try {
            return VertexProperty.Cardinality.valueOf(c.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CARDINALITY + " must be single, list or set, was '" + c + "'");
        }
    }

    static GraphConfig graphConfig(Configuration conf) {
        GraphConfig.Builder b = GraphConfig.builder();
        for (Iterator<String> it = conf.getKeys("sable"); it.hasNext(); ) {
            String key = it.next();
            if (key.equals(DIRECTORY) || key.startsWith("sable.gremlin.")) {
                continue;
            }
            apply(b, key, key.substring(PREFIX.length()), conf.getString(key));
        }
        return b.build();
    }

    private static void apply(GraphConfig.Builder b, String key, String setting, String text) {
        for (Method m : GraphConfig.Builder.class.getMethods()) {
            if (!m.getName().equals(setting) || m.getParameterCount() != 1
                    || m.getReturnType() != GraphConfig.Builder.class) {
                continue;
            }
            Object value;
            try {
                value = parse(m.getParameterTypes()[0], text.trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("configuration key " + key + ": cannot read '" + text + "' as "
                        + m.getParameterTypes()[0].getSimpleName(), e);
            }
            try {
                m.invoke(b, value);
                return;
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw new IllegalArgumentException("configuration key " + key + ": " + r.getMessage(), r);
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("unknown configuration key " + key
                + " (sable.X keys name GraphConfig.Builder settings)");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> type, String text) {
        if (type == long.class || type == Long.class) {
            return Long.parseLong(text);
        } else if (type == int.class || type == Integer.class) {
            return Integer.parseInt(text);
        } else if (type == boolean.class || type == Boolean.class) {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not a boolean");
            }
            return Boolean.parseBoolean(text);
        } else if (type == double.class || type == Double.class) {
            return Double.parseDouble(text);
        } else if (type.isEnum()) {
            return Enum.valueOf((Class<Enum>) type, text.toUpperCase(Locale.ROOT));
        } else if (type == String.class) {
            return text;
        }
        throw new IllegalArgumentException("unsupported setting type " + type.getName());
    }
}
