package dev.sablegraph.internal.monitor;

import dev.sablegraph.core.Metric;
import dev.sablegraph.core.OpenTransaction;
import java.util.ArrayList;
import java.util.List;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.ReflectionException;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfo;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfo;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The MBean of one {@link MetricGroup} of one database: a read-only attribute per
 * {@link DatabaseMetric} of the group (a {@code long}, with its unit and kind in the attribute's
 * descriptor as the JMX fields {@code units} and {@code metricType}), and for
 * {@link MetricGroup#TRANSACTIONS} also {@code OpenTransactions}: the open transactions, oldest
 * first, each with its snapshot, age and thread. An open MBean (only open types), so any JMX client
 * shows it without Sable's classes.
 *
 * <p>A {@link DynamicMBean} rather than a standard MBean or MXBean: those need a public interface,
 * which would either be API or an internal package opened to {@code java.management}.
 */
final class MetricGroupBean implements DynamicMBean {
    static final String OPEN_TRANSACTIONS = "OpenTransactions";
    private static final CompositeType OPEN_TRANSACTION_TYPE = openTransactionType();
    private static final ArrayType<CompositeData[]> OPEN_TRANSACTIONS_TYPE = arrayOf(OPEN_TRANSACTION_TYPE);

    private final MetricGroup group;
    private final MetricSources sources;
    private final List<DatabaseMetric> metrics = new ArrayList<>();
    private final MBeanInfo info;

    MetricGroupBean(MetricGroup group, MetricSources sources) {
        this.group = group;
        this.sources = sources;
        List<OpenMBeanAttributeInfoSupport> attributes = new ArrayList<>();
        for (DatabaseMetric m : DatabaseMetric.values()) {
            if (m.group() == group) {
                metrics.add(m);
                attributes.add(new OpenMBeanAttributeInfoSupport(m.attribute(), m.description() + " (" + m.unit() + ")",
                        SimpleType.LONG, true, false, false, new ImmutableDescriptor("units=" + m.unit(),
                                "metricType=" + (m.kind() == Metric.Kind.COUNTER ? "counter" : "gauge"))));
            }
        }
        if (group == MetricGroup.TRANSACTIONS) {
            attributes.add(new OpenMBeanAttributeInfoSupport(OPEN_TRANSACTIONS,
                    "the open transactions, oldest first: who holds back the reclamation of old versions",
                    OPEN_TRANSACTIONS_TYPE, true, false, false));
        }
        this.info = new OpenMBeanInfoSupport(MetricGroupBean.class.getName(), "Sable " + group.type() + " metrics",
                attributes.toArray(new OpenMBeanAttributeInfoSupport[0]), new OpenMBeanConstructorInfo[0],
                new OpenMBeanOperationInfo[0], new MBeanNotificationInfo[0]);
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        return read(name, new Reading(sources));
    }

    /** All the asked-for attributes from one reading: consistent with each other, each source read once. */
    @Override
    public AttributeList getAttributes(String[] names) {
        Reading reading = new Reading(sources);
        AttributeList list = new AttributeList();
        for (String name : names) {
            try {
                list.add(new Attribute(name, read(name, reading)));
            } catch (AttributeNotFoundException e) {
                // left out, as the interface asks
            }
        }
        return list;
    }

    private Object read(String name, Reading reading) throws AttributeNotFoundException {
        for (DatabaseMetric m : metrics) {
            if (m.attribute().equals(name)) {
                return m.read(reading);
            }
        }
        if (group == MetricGroup.TRANSACTIONS && OPEN_TRANSACTIONS.equals(name)) {
            return openTransactions(sources.openTransactions());
        }
        throw new AttributeNotFoundException("no attribute " + name + " in Sable's " + group.type() + " metrics");
    }

    private static CompositeData[] openTransactions(List<OpenTransaction> open) {
        CompositeData[] rows = new CompositeData[open.size()];
        for (int i = 0; i < rows.length; i++) {
            OpenTransaction t = open.get(i);
            try {
                rows[i] = new CompositeDataSupport(OPEN_TRANSACTION_TYPE, new String[] {"snapshot", "ageMillis", "thread"},
                        new Object[] {t.snapshot(), t.ageMillis(), t.thread()});
            } catch (OpenDataException e) {
                throw new IllegalStateException("the row matches its type by construction", e);
            }
        }
        return rows;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList(); // all read-only: none set
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(action), "Sable's metric MBeans have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    private static CompositeType openTransactionType() {
        try {
            return new CompositeType("OpenTransaction", "an open transaction",
                    new String[] {"snapshot", "ageMillis", "thread"},
                    new String[] {"the commit timestamp its snapshot reads at", "how long ago it began (milliseconds)",
                        "the name of the thread that began it"},
                    new OpenType<?>[] {SimpleType.LONG, SimpleType.LONG, SimpleType.STRING});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static ArrayType<CompositeData[]> arrayOf(CompositeType type) {
        try {
            return new ArrayType<>(1, type);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
