package dev.sablegraph.gremlin;

import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;

/**
 * What {@link SableGraph} supports (public so that tools may read it by reflection), as TinkerPop's test suites and users read it. Persistent, transactional
 * (one transaction per thread, no threaded transactions), no graph computer, no graph variables,
 * Long ids chosen by Sable (none supplied by the user), no null values; multi- and meta-properties
 * and every data type TinkerPop lists except arbitrary Serializable objects.
 */
public final class SableFeatures implements Graph.Features {
    private final GraphFeatures graph = new SableGraphFeatures();
    private final VertexFeatures vertex;
    private final EdgeFeatures edge = new SableEdgeFeatures();

    SableFeatures(VertexProperty.Cardinality defaultCardinality) {
        this.vertex = new SableVertexFeatures(defaultCardinality);
    }

    /**
     * Persistent and transactional; no graph computer, no graph variables, no threaded
     * transactions, and no concurrent access from other processes (one process holds a database
     * directory).
     *
     * @return the graph features
     */
    @Override
    public GraphFeatures graph() {
        return graph;
    }

    /**
     * Long ids chosen by Sable, no null values; multi- and meta-properties, with the default
     * cardinality the configuration names.
     *
     * @return the vertex features
     */
    @Override
    public VertexFeatures vertex() {
        return vertex;
    }

    /**
     * Long ids chosen by Sable, no null values.
     *
     * @return the edge features
     */
    @Override
    public EdgeFeatures edge() {
        return edge;
    }

    @Override
    public String toString() {
        return StringFactory.featureString(this);
    }

    private static final class SableGraphFeatures implements GraphFeatures {
        private final VariableFeatures variables = new VariableFeatures() {
            @Override
            public boolean supportsVariables() {
                return false;
            }

            @Override
            public boolean supportsBooleanValues() {
                return false;
            }

            @Override
            public boolean supportsByteValues() {
                return false;
            }

            @Override
            public boolean supportsDoubleValues() {
                return false;
            }

            @Override
            public boolean supportsFloatValues() {
                return false;
            }

            @Override
            public boolean supportsIntegerValues() {
                return false;
            }

            @Override
            public boolean supportsLongValues() {
                return false;
            }

            @Override
            public boolean supportsMapValues() {
                return false;
            }

            @Override
            public boolean supportsMixedListValues() {
                return false;
            }

            @Override
            public boolean supportsBooleanArrayValues() {
                return false;
            }

            @Override
            public boolean supportsByteArrayValues() {
                return false;
            }

            @Override
            public boolean supportsDoubleArrayValues() {
                return false;
            }

            @Override
            public boolean supportsFloatArrayValues() {
                return false;
            }

            @Override
            public boolean supportsIntegerArrayValues() {
                return false;
            }

            @Override
            public boolean supportsStringArrayValues() {
                return false;
            }

            @Override
            public boolean supportsLongArrayValues() {
                return false;
            }

            @Override
            public boolean supportsSerializableValues() {
                return false;
            }

            @Override
            public boolean supportsStringValues() {
                return false;
            }

            @Override
            public boolean supportsUniformListValues() {
                return false;
            }
        };

        @Override
        public boolean supportsComputer() {
            return false;
        }

        @Override
        public boolean supportsConcurrentAccess() {
            return false; // one process holds a database directory
        }

        @Override
        public boolean supportsThreadedTransactions() {
            return false;
        }

        @Override
        public VariableFeatures variables() {
            return variables;
        }
    }

    private static final class SableVertexFeatures implements VertexFeatures {
        private final VertexProperty.Cardinality defaultCardinality;
        private final VertexPropertyFeatures properties = new SableVertexPropertyFeatures();

        SableVertexFeatures(VertexProperty.Cardinality defaultCardinality) {
            this.defaultCardinality = defaultCardinality;
        }

        @Override
        public VertexProperty.Cardinality getCardinality(String key) {
            return defaultCardinality;
        }

        @Override
        public VertexPropertyFeatures properties() {
            return properties;
        }

        @Override
        public boolean supportsNullPropertyValues() {
            return false;
        }

        @Override
        public boolean supportsUserSuppliedIds() {
            return false;
        }

        @Override
        public boolean supportsStringIds() {
            return false;
        }

        @Override
        public boolean supportsUuidIds() {
            return false;
        }

        @Override
        public boolean supportsCustomIds() {
            return false;
        }

        @Override
        public boolean supportsAnyIds() {
            return false;
        }
    }

    private static final class SableVertexPropertyFeatures implements VertexPropertyFeatures {
        @Override
        public boolean supportsNullPropertyValues() {
            return false;
        }

        @Override
        public boolean supportsUserSuppliedIds() {
            return false;
        }

        @Override
        public boolean supportsStringIds() {
            return false;
        }

        @Override
        public boolean supportsUuidIds() {
            return false;
        }

        @Override
        public boolean supportsCustomIds() {
            return false;
        }

        @Override
        public boolean supportsAnyIds() {
            return false;
        }

        @Override
        public boolean supportsSerializableValues() {
            return false;
        }
    }

    private static final class SableEdgeFeatures implements EdgeFeatures {
        private final EdgePropertyFeatures properties = new EdgePropertyFeatures() {
            @Override
            public boolean supportsSerializableValues() {
                return false;
            }
        };

        @Override
        public EdgePropertyFeatures properties() {
            return properties;
        }

        @Override
        public boolean supportsNullPropertyValues() {
            return false;
        }

        @Override
        public boolean supportsUserSuppliedIds() {
            return false;
        }

        @Override
        public boolean supportsStringIds() {
            return false;
        }

        @Override
        public boolean supportsUuidIds() {
            return false;
        }

        @Override
        public boolean supportsCustomIds() {
            return false;
        }

        @Override
        public boolean supportsAnyIds() {
            return false;
        }
    }
}
