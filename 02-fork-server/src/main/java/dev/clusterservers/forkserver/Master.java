package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.ipc.Message;
import dev.clusterservers.plumbing.Backoff;
import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.EventQueue;
import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.Respawner;
import dev.clusterservers.plumbing.Signals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master: starts the children, replaces those that die, and stops them all on SIGTERM
 * or Ctrl-C; its HTTP side, the {@link Forwarder}, sends each request to a child.
 *
 * <p>Two paths run through the master process. The data path (a request out, its response
 * back) belongs to the Forwarder: it runs on HTTP threads and each child's reader thread,
 * which hands every response to the Forwarder, and never waits for this loop. This class is
 * the control path only (a child became ready, was lost, exited; a signal; a back-off ended):
 * each only puts an {@link Event} on a queue, and one loop handles them in order, so
 * {@link #run()} reads as a table of contents and no two threads ever change the process
 * list at once.
 */
final class Master {
    private static final Logger LOG = LoggerFactory.getLogger("master");

    /** A child's stdout is the IPC pipe, so its logger must write to stderr. */
    static final String CHILD_LOGS_TO_STDERR = "-Dorg.slf4j.simpleLogger.logFile=System.err";
    /** The tutorial's first message to each child. */
    static final String HELLO = "hello";
    /** After the drain, how long children get to exit on EOF before SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);

    /** What the loop reacts to; each is handled by the {@code handleX} of the same name. */
    sealed interface Event {
        record ChildReady(ChildHandle child, long pid) implements Event { }

        record ChildLost(ChildHandle child, String why, boolean badFrame) implements Event { }

        record ChildExited(ChildHandle child, int exitValue) implements Event { }

        record ChildSilent(ChildHandle child) implements Event { }

        record ChildAnswersAgain(ChildHandle child) implements Event { }

        record SilenceCheckDue(ChildHandle child) implements Event { }

        record RespawnDue(int slot) implements Event { }

        record StopRequested(String why) implements Event { }
    }

    private final Options options;
    private final long pid = ProcessHandle.current().pid();
    private final EventQueue<Event> events = new EventQueue<>("master-timer");
    private final ProcessList processes = new ProcessList();
    private final PendingTable pending;
    private final Forwarder forwarder;
    private final Overload overload;
    /** Each slot's back-off, and the children a shutdown hook kills if the JVM exits any other way. */
    private final Respawner<Event> respawner = new Respawner<>(events, Event.RespawnDue::new);
    /** What a child's reader thread tells the loop; responses go to the {@link Forwarder}, not here. */
    private final ChildHandle.Control control = new ChildHandle.Control() {
        @Override
        public void onReady(ChildHandle child, long pid) {
            events.add(new Event.ChildReady(child, pid));
        }

        @Override
        public void onAnswersAgain(ChildHandle child) {
            events.add(new Event.ChildAnswersAgain(child));
        }

        @Override
        public void onLost(ChildHandle child, String why, boolean badFrame, int failedRequests) {
            events.add(new Event.ChildLost(child, why + (failedRequests > 0 ? "; answered 502 to its " + failedRequests
                    + " pending request" + (failedRequests == 1 ? "" : "s") : ""), badFrame));
        }
    };
    /** Whether the HTTP side takes connections yet: from the first ready child on. */
    private boolean accepting;

    Master(Options options) {
        this.options = options;
        // A timeout may mean the child stopped answering: the child's Liveness decides, the loop acts.
        this.pending = new PendingTable(options.timeout(), (child, sentAt) -> {
            if (child.requestTimedOut(sentAt)) {
                events.add(new Event.ChildSilent(child));
            }
        });
        this.overload = new Overload(options.maxInFlight());
        this.forwarder = new Forwarder(processes, pending, options.policy().create(), options, overload);
    }

    int run() {
        LOG.info("Starting master, PID: {} ({})", pid, options.describe());
        LOG.info("Master JVM: {}; each child: {}", JvmSizing.describeThisJvm(), String.join(" ", JvmSizing.CHILD));
        // Bind before any child exists, so a port in use leaves nothing behind.
        ServerSocketChannel listening;
        try {
            listening = bind(options.port());
        } catch (IOException e) {
            LOG.error("Cannot listen on port {}: {}; choose another port with --port 8080"
                    + " (under Maven: -Dexec.args=\"--port 8080\")",
                    options.port(), e.getMessage());
            return ExitCode.PORT_UNAVAILABLE;
        }
        // Listening from here on, but not accepting until the first child is ready: a client
        // that comes early waits in the kernel's accept queue instead of getting 503.
        forwarder.startServing(listening);
        overload.start();
        LOG.info("Master server created!! PID: {} running in PORT: {}", pid, listening.socket().getLocalPort());

        Signals.onTerminate(signal -> events.add(new Event.StopRequested("SIG" + signal)));
        if (options.launched()) {
            MasterLauncher.whenGone(() -> events.add(new Event.StopRequested("the launcher is gone")));
        }
        respawner.killChildrenOnExit();
        for (int slot = 1; slot <= options.workers(); slot++) {
            spawn(slot);
        }

        while (true) {
            Event event = events.take(new Event.StopRequested("interrupted"));
            if (event instanceof Event.ChildReady ready) {
                handleChildReady(ready);
            } else if (event instanceof Event.ChildLost lost) {
                handleChildLost(lost);
            } else if (event instanceof Event.ChildExited exited) {
                handleChildExited(exited);
            } else if (event instanceof Event.ChildSilent silent) {
                handleChildSilent(silent);
            } else if (event instanceof Event.ChildAnswersAgain again) {
                handleChildAnswersAgain(again);
            } else if (event instanceof Event.SilenceCheckDue check) {
                handleSilenceCheckDue(check);
            } else if (event instanceof Event.RespawnDue due) {
                handleRespawnDue(due);
            } else if (event instanceof Event.StopRequested stop) {
                return handleStopRequested(stop);
            } else {
                // Java 17 has no exhaustive switch over a sealed interface: a new event fails here, loudly.
                throw new IllegalStateException("no handler for event " + event);
            }
        }
    }

    /** Starts a child JVM in {@code slot}, connects its pipes and says hello. */
    private void spawn(int slot) {
        List<String> args = new ArrayList<>(List.of("--role", "CHILD", "--child-id", Integer.toString(slot),
                "--max-in-flight", Integer.toString(options.maxInFlight())));
        if (options.faultInjection()) {
            args.add("--fault-injection");
        }
        List<String> flags = new ArrayList<>(JvmSizing.CHILD);
        flags.add(CHILD_LOGS_TO_STDERR);
        // stdin and stdout are pipes to the master (ProcessBuilder's default); stderr is the
        // terminal, so a child's log lines appear beside the master's.
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(ForkServer.class, flags, args))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            ChildHandle child = new ChildHandle(slot, process, options.maxInFlight());
            processes.add(child);
            respawner.started(process);
            child.connect(forwarder, control);
            child.send(new Message.Hello(Message.NO_ID, HELLO));
            // "exited" after "is lost": the exit is reported only once the reader thread has
            // reported the end of the child's stdout, so the log always tells it in that order.
            process.onExit().thenCombine(child.readerDone(), (p, ignored) -> p)
                    .thenAccept(p -> events.add(new Event.ChildExited(child, p.exitValue())));
        } catch (IOException e) {
            LOG.error("Cannot start child {}: {}", slot, e.getMessage());
            respawner.scheduleRespawn(slot, Duration.ZERO);
        }
    }

    private void handleChildReady(Event.ChildReady event) {
        if (event.child().markReady()) {
            LOG.info("Child process created, PID: {} (child {} of {})", event.pid(), event.child().slot(), options.workers());
            if (!accepting) {
                forwarder.startAccepting();
                accepting = true;
            }
        }
    }

    /** A request timed out with nothing from its child since it was sent: see {@link Liveness}. */
    private void handleChildSilent(Event.ChildSilent event) {
        long ms = options.timeout().toMillis();
        LOG.warn("{} answered nothing for {} ms: out of rotation; recycling it if it stays silent {} ms more",
                event.child(), ms, ms);
        events.addAfter(options.timeout(), new Event.SilenceCheckDue(event.child()));
    }

    private void handleChildAnswersAgain(Event.ChildAnswersAgain event) {
        LOG.info("{} answers again: back in rotation", event.child());
    }

    private void handleSilenceCheckDue(Event.SilenceCheckDue event) {
        if (event.child().stayedSilentFor(options.timeout())) {
            LOG.warn("{} stayed silent: recycling it", event.child());
            event.child().kill();
        }
    }

    private void handleChildLost(Event.ChildLost event) {
        if (event.badFrame()) {
            // After bytes that are not a frame there is no way to find the next frame: recycle.
            LOG.error("{} broke the protocol: {}; recycling it", event.child(), event.why());
            event.child().kill();
        } else {
            LOG.warn("{} is lost: {}", event.child(), event.why());
        }
    }

    private void handleChildExited(Event.ChildExited event) {
        ChildHandle child = event.child();
        respawner.exited(child.process());
        processes.remove(child);
        Duration uptime = child.uptime();
        Duration delay = respawner.scheduleRespawn(child.slot(), uptime);
        LOG.warn("{} exited ({}) after {} ms; replacing it {}", child, ExitCode.describe(event.exitValue()),
                uptime.toMillis(), delay.isZero() ? "now" : "in " + delay.toMillis() + " ms" + backoffReason(child.slot()));
    }

    private void handleRespawnDue(Event.RespawnDue event) {
        if (!processes.holds(event.slot())) {
            spawn(event.slot());
        }
    }

    /** Stop accepting, let requests in flight finish, close every child's stdin, exit 0. */
    private int handleStopRequested(Event.StopRequested event) {
        LOG.info("{}: stopping; waiting up to {} s for {} requests in flight", event.why(),
                options.drainTimeout().toSeconds(), pending.size());
        events.cancelTimers();
        // Jetty's graceful stop: no new connections, requests in flight finish (each is bounded
        // by --timeout), then the server stops, for at most the drain timeout.
        forwarder.stopServing();

        LOG.info("Stopping {} children: closing their stdin", processes.size());
        processes.all().forEach(ChildHandle::stop);
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        while (processes.size() > 0) {
            Event next = events.pollUntil(deadline);
            if (next == null) {
                break;
            }
            // While stopping, only exits matter: a loss is the expected end of a stopping
            // child's stdout, nothing is respawned, and a second stop request changes nothing.
            if (next instanceof Event.ChildExited exited) {
                respawner.exited(exited.child().process());
                processes.remove(exited.child());
                LOG.info("{} stopped ({})", exited.child(), ExitCode.describe(exited.exitValue()));
            } else if (!(next instanceof Event.ChildLost || next instanceof Event.ChildReady
                    || next instanceof Event.ChildSilent || next instanceof Event.ChildAnswersAgain
                    || next instanceof Event.SilenceCheckDue
                    || next instanceof Event.RespawnDue || next instanceof Event.StopRequested)) {
                throw new IllegalStateException("no handler for event " + next + " while stopping");
            }
        }
        for (ChildHandle child : processes.all()) {
            LOG.warn("{} did not stop in time; killing it", child);
            child.kill();
            child.process().onExit().join();
        }
        pending.close();
        overload.close();
        LOG.info("Master PID: {} stopped", pid);
        return ExitCode.OK;
    }

    private static ServerSocketChannel bind(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            // A restarted master may bind while the old one's connections sit in TIME_WAIT.
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(port));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Why a replacement waits, said where the wait shows: a learner meets the back-off here first. */
    private String backoffReason(int slot) {
        Backoff backoff = respawner.backoff(slot);
        return ": it ran under " + backoff.minUptime().toSeconds() + " s; each exit that soon in a row doubles"
                + " the wait, up to " + backoff.maxDelay().toSeconds() + " s, so a child that cannot start does not spin the CPU";
    }
}
