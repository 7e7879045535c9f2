package dev.clusterservers.processmanager.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import sun.misc.Signal;

/**
 * The instance's end of its control link to the daemon: one Unix-domain connection that
 * lives as long as the instance.
 *
 * <p>The daemon never needs to poll whether an instance is alive, nor an instance whether
 * its daemon is: when either process dies, the kernel closes its end, and the other reads
 * end-of-stream. Lines are JSON, one object per line (see the module README, "Protocol").
 */
public final class DaemonLink {
    /** Where the daemon listens for instances; set by the daemon in the app's environment. */
    public static final String SOCKET_ENV = "JPM_AGENT_SOCKET";
    /** The instance's id, as {@code jpm list} shows it. */
    public static final String ID_ENV = "JPM_ID";
    /** How long the app may take to stop once its daemon is gone, before the agent halts it. */
    public static final String KILL_TIMEOUT_ENV = "JPM_KILL_TIMEOUT_MS";

    private static final String LISTENING = "{\"type\":\"listening\"}";

    private static volatile SocketChannel channel;
    private static volatile boolean listening;

    private DaemonLink() {
    }

    static void connectFromEnvironment() {
        String socket = System.getenv(SOCKET_ENV);
        String id = System.getenv(ID_ENV);
        if (socket == null || id == null) {
            return;
        }
        long killTimeoutMs = parseLong(System.getenv(KILL_TIMEOUT_ENV), 5_000);
        try {
            SocketChannel link = SocketChannel.open(StandardProtocolFamily.UNIX);
            link.connect(UnixDomainSocketAddress.of(Path.of(socket)));
            channel = link;
            send("{\"type\":\"hello\",\"id\":" + Long.parseLong(id) + ",\"pid\":" + ProcessHandle.current().pid()
                    + ",\"jvm\":\"" + jvm() + "\"}");
            if (listening) {
                send(LISTENING);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[jpm-agent] cannot reach the daemon at " + socket + " (" + e + "); stopping");
            stopApp(killTimeoutMs);
            return;
        }
        Thread watcher = new Thread(() -> awaitDaemonGone(killTimeoutMs), "jpm-daemon-link");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Sends one line to the daemon; quietly does nothing when not run by jpm. Public for the
     * app's metrics client ({@code io.Publisher}), which finds it by name; one lock, so lines
     * from the app's threads never interleave.
     */
    public static synchronized void send(String json) throws IOException {
        SocketChannel link = channel;
        if (link == null) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            link.write(bytes);
        }
    }

    /**
     * The app's server channel became the shared listener: with {@code "listen": "shared"},
     * what "ready" means, since every instance holds the listening socket from its first
     * instruction. Sent later if the app binds before the link is up.
     */
    static void listening() {
        listening = true;
        try {
            send(LISTENING);
        } catch (IOException e) {
            System.err.println("[jpm-agent] cannot tell the daemon this instance listens: " + e);
        }
    }

    /** The daemon sends nothing yet; reading only waits for its end to close. */
    private static void awaitDaemonGone(long killTimeoutMs) {
        try (InputStream in = Channels.newInputStream(channel)) {
            while (in.read() >= 0) {
                // Reserved for messages from the daemon.
            }
        } catch (IOException e) {
            // A broken link means the same as a closed one.
        }
        System.err.println("[jpm-agent] the jpm daemon is gone; stopping this instance");
        stopApp(killTimeoutMs);
    }

    /**
     * Stops the app the way the daemon would have: SIGTERM to ourselves, so the app's own
     * graceful shutdown runs; and if the app ignores it, a halt after the kill timeout.
     */
    private static void stopApp(long killTimeoutMs) {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(killTimeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(137);
        }, "jpm-orphan-reaper");
        reaper.setDaemon(true);
        reaper.start();
        Signal.raise(new Signal("TERM"));
    }

    /** What {@code jpm monit} shows as the instance's JVM, e.g. "17.0.13+11 (Eclipse Adoptium)"; no quotes to escape. */
    private static String jvm() {
        String version = System.getProperty("java.runtime.version", System.getProperty("java.version", "?"));
        String vendor = System.getProperty("java.vendor", "");
        return (version + (vendor.isEmpty() ? "" : " (" + vendor + ")")).replaceAll("[\"\\\\\\p{Cntrl}]", "");
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
