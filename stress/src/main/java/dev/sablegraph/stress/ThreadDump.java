package dev.sablegraph.stress;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * A full thread dump as jstack would print it: every frame (ThreadInfo.toString stops at eight),
 * the monitors and synchronizers each thread holds, and what it waits for and who owns that.
 */
final class ThreadDump {
    private ThreadDump() {}

    static String all() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return format(mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported()));
    }

    static String format(ThreadInfo[] threads) {
        StringBuilder s = new StringBuilder();
        for (ThreadInfo t : threads) {
            if (t == null) {
                continue;
            }
            s.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId())
                    .append(t.isDaemon() ? " daemon" : "").append(' ').append(t.getThreadState());
            if (t.getLockName() != null) {
                s.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                s.append(" owned by \"").append(t.getLockOwnerName()).append("\" #").append(t.getLockOwnerId());
            }
            s.append('\n');
            StackTraceElement[] stack = t.getStackTrace();
            MonitorInfo[] monitors = t.getLockedMonitors();
            for (int i = 0; i < stack.length; i++) {
                s.append("\tat ").append(stack[i]).append('\n');
                if (i == 0 && t.getLockInfo() != null) {
                    s.append("\t- waiting on ").append(t.getLockInfo()).append('\n');
                }
                for (MonitorInfo m : monitors) {
                    if (m.getLockedStackDepth() == i) {
                        s.append("\t- locked ").append(m).append('\n');
                    }
                }
            }
            LockInfo[] synchronizers = t.getLockedSynchronizers();
            if (synchronizers.length > 0) {
                s.append("\tLocked synchronizers:\n");
                for (LockInfo l : synchronizers) {
                    s.append("\t- ").append(l).append('\n');
                }
            }
            s.append('\n');
        }
        return s.toString();
    }
}
