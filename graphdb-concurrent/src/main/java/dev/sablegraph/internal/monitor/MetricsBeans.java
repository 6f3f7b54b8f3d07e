package dev.sablegraph.internal.monitor;

import dev.sablegraph.internal.util.Loggers;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One open database's metric MBeans on the platform MBean server, from open to close: one per
 * {@link MetricGroup}, named {@code dev.sablegraph:database=<directory>,type=<group>} where the
 * directory is absolute and quoted with {@link ObjectName#quote} (docs/operations.md, "Metrics").
 *
 * <p>Metrics never keep a database from opening or closing: a registration or unregistration the
 * MBean server refuses is logged as a warning and skipped.
 */
public final class MetricsBeans {
    public static final String DOMAIN = "dev.sablegraph";

    /** Set once the platform MBean server's start has been asked for, in this JVM. */
    private static final AtomicBoolean SERVER_STARTING = new AtomicBoolean();

    private final MBeanServer server;
    private final List<ObjectName> registered = new ArrayList<>();

    private MetricsBeans(MBeanServer server) {
        this.server = server;
    }

    /** The name of the MBean of {@code group} for the database in {@code directory}. */
    public static ObjectName name(Path directory, MetricGroup group) {
        try {
            return new ObjectName(DOMAIN + ":database=" + ObjectName.quote(directory.toAbsolutePath().normalize().toString())
                    + ",type=" + group.type());
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("a quoted value always makes a valid name", e);
        }
    }

    /**
     * Starts the platform MBean server on a daemon thread, once per JVM, if nothing has yet. Its
     * first start registers the JDK's own beans and takes a few hundred milliseconds; called at
     * the beginning of an open, it runs beside recovery instead of after it ({@link #register}
     * then finds it ready, or waits for it: {@code getPlatformMBeanServer} is synchronised).
     */
    public static void startPlatformServer() {
        if (SERVER_STARTING.compareAndSet(false, true)) {
            Thread starter = new Thread(MetricsBeans::platformServerQuietly, "sable-jmx-start");
            starter.setDaemon(true);
            starter.start();
        }
    }

    private static void platformServerQuietly() {
        try {
            ManagementFactory.getPlatformMBeanServer();
        } catch (RuntimeException | Error e) {
            // register() meets the same failure and logs it
        }
    }

    /**
     * Registers the MBeans of the database in {@code directory}, reading from {@code sources}.
     * A bean already registered under one of the names belongs to a database in that directory that
     * is no longer open (the directory lock admits one at a time), and is replaced.
     */
    public static MetricsBeans register(Path directory, MetricSources sources) {
        MetricsBeans beans;
        try {
            beans = new MetricsBeans(ManagementFactory.getPlatformMBeanServer());
        } catch (RuntimeException | Error e) { // no platform server (a restricted runtime): no JMX metrics
            Loggers.DATABASE.log(System.Logger.Level.WARNING, "no JMX metrics for " + directory + ": " + e, e);
            return new MetricsBeans(null);
        }
        for (MetricGroup group : MetricGroup.values()) {
            beans.register(name(directory, group), new MetricGroupBean(group, sources));
        }
        return beans;
    }

    private void register(ObjectName name, MetricGroupBean bean) {
        try {
            try {
                server.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException stale) {
                server.unregisterMBean(name);
                server.registerMBean(bean, name);
            }
            registered.add(name);
        } catch (JMException | RuntimeException e) {
            Loggers.DATABASE.log(System.Logger.Level.WARNING, "cannot register JMX metrics " + name + ": " + e, e);
        }
    }

    /** Unregisters every MBean {@link #register} registered. Idempotent. */
    public void unregister() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException gone) {
                // unregistered by someone else: nothing left to do
            } catch (JMException | RuntimeException e) {
                Loggers.DATABASE.log(System.Logger.Level.WARNING, "cannot unregister JMX metrics " + name + ": " + e, e);
            }
        }
        registered.clear();
    }
}
