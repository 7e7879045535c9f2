package dev.clusterservers.processmanager.metrics;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;

/**
 * Sends the app's metrics to the daemon once a second, as one line on the link the jpm agent
 * already holds: {@code {"type":"metrics","metrics":[{"name":...,"kind":...,"unit":...,"value":...}]}}.
 *
 * <p>Why the agent's link and not a connection of our own: one instance, one link, so the
 * daemon has one place to learn about a process and one end-of-stream that means it died.
 * Why found by name: the agent's classes are on the app's class path only under jpm. This
 * package is in the app's jar and never in the agent's, and the link is in the agent's jar and
 * never in the app's, so each class exists once, whichever jar the class path lists first.
 * Outside jpm the link is not there and nothing is started.
 */
final class Publisher {
    /** How often the daemon hears the latest values: about {@code jpm monit}'s refresh. */
    static final long INTERVAL_MS = 1_000;
    /** Set by jpm in every instance's environment (see the agent's {@code DaemonLink}). */
    static final String SOCKET_ENV = "JPM_AGENT_SOCKET";
    static final String LINK_CLASS = "dev.clusterservers.processmanager.agent.DaemonLink";

    private static boolean started;

    private Publisher() {
    }

    static synchronized void startIfUnderJpm() {
        if (started || System.getenv(SOCKET_ENV) == null) {
            return;
        }
        started = true;
        Method send;
        try {
            send = Class.forName(LINK_CLASS, true, ClassLoader.getSystemClassLoader()).getMethod("send", String.class);
        } catch (ReflectiveOperationException e) {
            System.err.println("[jpm-metrics] " + SOCKET_ENV + " is set but the jpm agent is not loaded; metrics stay here");
            return;
        }
        Thread thread = new Thread(() -> publishEverySecond(send), "jpm-metrics");
        thread.setDaemon(true);
        thread.start();
    }

    private static void publishEverySecond(Method send) {
        try {
            while (true) {
                Thread.sleep(INTERVAL_MS);
                send.invoke(null, json(Metrics.all()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException | IllegalAccessException e) {
            // The daemon is gone; the agent is stopping the app already.
        }
    }

    /** The message, written by hand: the app's class path must not need a JSON library. */
    static String json(Map<String, Metric> metrics) {
        StringBuilder line = new StringBuilder("{\"type\":\"metrics\",\"metrics\":[");
        boolean first = true;
        for (Map.Entry<String, Metric> entry : metrics.entrySet()) {
            Metric metric = entry.getValue();
            double value = metric.value();
            if (!first) {
                line.append(',');
            }
            first = false;
            line.append("{\"name\":").append(quote(entry.getKey()))
                    .append(",\"kind\":").append(quote(metric.kind()))
                    .append(",\"unit\":").append(quote(metric.unit()))
                    // JSON has no NaN: a metric with no value yet is sent as null.
                    .append(",\"value\":").append(Double.isFinite(value) ? number(value) : "null")
                    .append('}');
        }
        return line.append("]}").toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.6g", value);
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
