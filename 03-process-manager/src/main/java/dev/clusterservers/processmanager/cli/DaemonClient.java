package dev.clusterservers.processmanager.cli;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.JdkChannels;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.Jpm;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import dev.clusterservers.processmanager.protocol.Wire;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's end of the control socket; starts the daemon on first use, as PM2 does.
 *
 * <p>The daemon is started detached: in a session of its own ({@code setsid}), so a Ctrl-C
 * or a closed terminal does not reach it, with stdin from /dev/null and its output appended
 * to {@code daemon.log}. Two CLIs that race to start it start two JVMs, but only the one that
 * gets the lock file becomes the daemon; the other exits.
 */
public final class DaemonClient {
    /** A JVM on a busy two-core machine can take a few seconds to open its socket. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(50);
    /** Small and quick to start: the daemon holds tables, not traffic. */
    /** The last flag lets the daemon pass a shared listener to an instance ({@code StdinSwap} reads its fd). */
    static final List<String> DAEMON_JVM_FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            JdkChannels.REQUIRED_JVM_FLAG);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Home home;

    public DaemonClient(Home home) {
        this.home = home;
    }

    /** Sends one request and waits for its one reply; {@code startIfNeeded} starts the daemon first. */
    public Reply send(Request request, boolean startIfNeeded) throws IOException {
        SocketChannel connected = connect();
        if (connected == null) {
            if (!startIfNeeded) {
                throw new IOException("no jpm daemon is running in " + home.dir());
            }
            connected = startDaemon();
        }
        try (SocketChannel channel = connected) {
            Wire.write(Channels.newOutputStream(channel), request);
            String line = Wire.readLine(new BufferedInputStream(Channels.newInputStream(channel)));
            if (line == null) {
                throw new IOException("the jpm daemon closed the connection without answering; see " + home.daemonLog());
            }
            return Wire.parse(line, Reply.class);
        }
    }

    /** The daemon's PID, if one runs. */
    public long daemonPid() {
        try {
            return Long.parseLong(Files.readString(home.daemonPidFile()).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private SocketChannel connect() throws IOException {
        if (!Files.exists(home.controlSocket())) {
            return null;
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(home.controlSocket()));
            return channel;
        } catch (IOException e) {
            // A socket file a dead daemon left behind.
            channel.close();
            return null;
        }
    }

    private SocketChannel startDaemon() throws IOException {
        home.ensureExists();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(ChildJvm.command(Jpm.class, DAEMON_JVM_FLAGS, List.of("daemon", "--home", home.dir().toString())));
        absoluteClasspath(command);
        // The daemon outlives this shell's folder: it works in its home, so it never holds a folder someone deletes.
        Process daemon = new ProcessBuilder(command)
                .directory(home.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.daemonLog().toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            SocketChannel channel = connect();
            if (channel != null) {
                return channel;
            }
            if (!daemon.isAlive() && daemonPid() < 0) {
                throw new IOException("the jpm daemon exited at start (" + daemon.exitValue() + "); see " + home.daemonLog());
            }
            sleep(POLL);
        }
        throw new IOException("the jpm daemon did not open " + home.controlSocket() + " within "
                + START_TIMEOUT.toSeconds() + " s; see " + home.daemonLog());
    }

    /** {@code java -jar target/x.jar} gives a relative class path; the daemon runs in another folder. */
    private static void absoluteClasspath(List<String> command) {
        int cp = command.indexOf("-cp");
        if (cp >= 0 && cp + 1 < command.size()) {
            String[] entries = command.get(cp + 1).split(File.pathSeparator);
            for (int i = 0; i < entries.length; i++) {
                entries[i] = Path.of(entries[i]).toAbsolutePath().toString();
            }
            command.set(cp + 1, String.join(File.pathSeparator, entries));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
