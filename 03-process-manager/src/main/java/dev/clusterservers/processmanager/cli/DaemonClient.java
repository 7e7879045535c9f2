package dev.clusterservers.processmanager.cli;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.JdkChannels;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.Jpm;
import dev.clusterservers.processmanager.protocol.JsonLines;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
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
 *
 * <p>Every answer has a deadline: {@link #QUICK_ANSWER} for a question ({@code list},
 * {@code describe}, {@code save}), {@link #SLOW_ANSWER} for a verb whose answer waits for
 * processes to start or stop. A daemon that does not answer in time is named, with its PID
 * and its log, and the CLI exits; one that is {@link Reply.Busy} is asked again for a while.
 */
public final class DaemonClient {
    /** A JVM on a busy two-core machine can take a few seconds to open its socket. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(50);
    /** Small and quick to start: the daemon holds tables, not traffic. */
    /** The last flag lets the daemon pass a shared listener to an instance ({@code StdinSwap} reads its fd). */
    static final List<String> DAEMON_JVM_FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            JdkChannels.REQUIRED_JVM_FLAG);
    /** A question the daemon answers from its tables. */
    static final Duration QUICK_ANSWER = Duration.ofSeconds(15);
    /** A verb answered when processes have started or stopped (each start may wait listen_timeout). */
    static final Duration SLOW_ANSWER = Duration.ofMinutes(5);
    /** How long a busy daemon is asked again before the CLI gives up. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(30);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** No daemon runs, and none was to be started. */
    public static final class NoDaemon extends IOException {
        NoDaemon(String message) {
            super(message);
        }
    }

    private final Home home;
    private final PrintWriter notices;
    private final Duration quickAnswer;

    /** {@code notices}: where to say that a daemon had to be started while apps were saved. */
    public DaemonClient(Home home, PrintWriter notices) {
        this(home, notices, QUICK_ANSWER);
    }

    DaemonClient(Home home, PrintWriter notices, Duration quickAnswer) {
        this.home = home;
        this.notices = notices;
        this.quickAnswer = quickAnswer;
    }

    /** Sends one request and waits for its one reply; {@code startIfNeeded} starts the daemon first. */
    public Reply send(Request request, boolean startIfNeeded) throws IOException {
        // Checked before anything starts: too large a request would only meet a closed socket.
        byte[] line = JsonLines.encode(request);
        long giveUp = System.nanoTime() + BUSY_RETRY.toNanos();
        while (true) {
            Reply reply = sendOnce(request, line, startIfNeeded);
            if (!(reply instanceof Reply.Busy busy)) {
                return reply;
            }
            if (System.nanoTime() > giveUp) {
                throw new IOException(busy.error() + ", and was still busy after " + BUSY_RETRY.toSeconds()
                        + " s of trying; see " + home.daemonLog());
            }
            sleep(POLL);
        }
    }

    private Reply sendOnce(Request request, byte[] line, boolean startIfNeeded) throws IOException {
        SocketChannel connected = connect();
        if (connected == null) {
            if (!startIfNeeded) {
                throw new NoDaemon("no jpm daemon is running in " + home.dir());
            }
            connected = startDaemon();
            sayWhatWasSaved(request);
        }
        try (SocketChannel channel = connected) {
            ByteBuffer bytes = ByteBuffer.wrap(line);
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                // A daemon over its cap answers "busy" and closes before reading: the answer is still here to read.
                String refusal;
                try {
                    refusal = JsonLines.readLine(channel, POLL, POLL);
                } catch (IOException nothingToRead) {
                    throw e;
                }
                if (refusal == null) {
                    throw e;
                }
                return JsonLines.parse(refusal, Reply.class);
            }
            Duration deadline = quick(request) ? quickAnswer : SLOW_ANSWER;
            String answer;
            try {
                answer = JsonLines.readLine(channel, deadline, deadline);
            } catch (JsonLines.Timeout e) {
                throw new IOException("no answer from the jpm daemon (PID " + daemonPid() + ") to '" + verb(request)
                        + "' within " + deadline.toSeconds() + " s: it is stuck or overloaded; see " + home.daemonLog());
            }
            if (answer == null) {
                throw new IOException("the jpm daemon closed the connection without answering; see " + home.daemonLog());
            }
            return JsonLines.parse(answer, Reply.class);
        }
    }

    private static boolean quick(Request request) {
        return request instanceof Request.ListAll || request instanceof Request.Describe || request instanceof Request.Save;
    }

    private static String verb(Request request) {
        return JsonLines.JSON.valueToTree(request).path("type").asText("?");
    }

    /** A daemon that died took its apps with it; if some were saved, say how to get them back. */
    private void sayWhatWasSaved(Request request) {
        if (request instanceof Request.Resurrect || notices == null || !Files.exists(home.dump())) {
            return;
        }
        try {
            int saved = JsonLines.JSON.readTree(home.dump().toFile()).size();
            if (saved > 0) {
                notices.println("[jpm] daemon was not running: started a new one; 'jpm resurrect' brings back "
                        + saved + " saved app" + (saved == 1 ? "" : "s"));
                notices.flush();
            }
        } catch (IOException e) {
            notices.println("[jpm] daemon was not running: started a new one; " + home.dump() + " is unreadable: "
                    + e.getMessage());
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
        List<String> role = new ArrayList<>(Jpm.DAEMON_ROLE);
        role.add(home.dir().toString());
        command.addAll(ChildJvm.command(Jpm.class, DAEMON_JVM_FLAGS, role));
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
