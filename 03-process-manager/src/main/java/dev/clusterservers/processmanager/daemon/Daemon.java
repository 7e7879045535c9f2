package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.plumbing.Signals;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.logs.DaemonLog;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.Reply;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jpm's daemon: started by the CLI on first use, detached, holding every app's processes.
 *
 * <p>Like gunicorn's arbiter, {@link #run()} reads as a table of contents: take an event,
 * hand it to its {@link Handler} method, answer the requests whose work is now done, and stop when asked. Sockets,
 * process exits, timers and signals only enqueue {@link Event}s; the process verbs are in
 * {@link Supervisor}, the CLI's requests in {@link Requests}.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");
    /** How often the heartbeat checks readiness, kill deadlines and memory. */
    static final long TICK_MS = 200;
    /** CPU % is measured over this much time. */
    static final long CPU_SAMPLE_MS = 1_000;
    /** The kernel setting that lets a closing SO_REUSEPORT listener hand its queue to a sibling. */
    static final Path TCP_MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    /** A reply that waits until its work is done, e.g. {@code stop} until the processes exited. */
    record AwaitedReply(BooleanSupplier done, Supplier<Reply> reply, Consumer<Reply> sink) { }

    private final Home home;
    private final long pid = ProcessHandle.current().pid();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "daemon-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Supervisor supervisor;
    private final Requests requests;
    private final List<AwaitedReply> awaitedReplies = new ArrayList<>();
    private long lastCpuSampleNanos = System.nanoTime();
    private boolean shuttingDown;
    private Consumer<Reply> killReply;

    public Daemon(Home home) {
        this.home = home;
        this.supervisor = new Supervisor(home, new Launcher(home), events::add,
                (event, delayMs) -> timer.schedule(() -> events.add(event), delayMs, TimeUnit.MILLISECONDS));
        this.requests = new Requests(home, supervisor, this::await, this::beginShutdown);
    }

    /** Runs until {@code jpm kill} or SIGTERM; returns the exit code. */
    public int run() throws IOException {
        home.ensureExists();
        try (FileChannel lockFile = FileChannel.open(home.daemonLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                LOG.info("Daemon PID: {} not needed: another daemon holds {}", pid, home.daemonLock());
                return 0;
            }
            return runLocked();
        }
    }

    private int runLocked() throws IOException {
        DaemonLog.install(home.daemonLog());
        Files.writeString(home.daemonPidFile(), Long.toString(pid));
        AgentJars.write(home.agentDir());
        try (UnixServer control = UnixServer.open(home.controlSocket(), "control", ControlServer.MAX_READERS,
                c -> ControlServer.serve(c, events::add), ControlServer::refuse);
             UnixServer agents = UnixServer.open(home.agentSocket(), "agent", AgentServer.MAX_LINKS,
                c -> AgentServer.serve(c, events::add), c -> { })) {
            Signals.onTerminate(signal -> events.add(new Event.StopRequested("SIG" + signal)));
            timer.scheduleAtFixedRate(() -> events.add(new Event.Tick()), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            LOG.info("Daemon started, PID: {} home: {} ({})", pid, home.dir(), reloadSafety());
            Handler handler = new Handler();

            while (!(shuttingDown && supervisor.apps().isEmpty())) {
                take().accept(handler);
                answerFinishedRequests();
            }
        } finally {
            timer.shutdownNow();
            Files.deleteIfExists(home.daemonPidFile());
        }
        LOG.info("Daemon PID: {} stopped", pid);
        if (killReply != null) {
            killReply.accept(new Reply.Done("jpm daemon (PID " + pid + ") and all its apps stopped", List.of()));
        }
        return 0;
    }

    /** Where each event goes: one method per event, so none can be forgotten (see {@link Event}). */
    private final class Handler implements Event.Handler {
        @Override
        public void requestReceived(Event.RequestReceived event) {
            handleRequestReceived(event);
        }

        @Override
        public void processExited(Event.ProcessExited event) {
            supervisor.reap(event.handle(), event.exitValue());
        }

        @Override
        public void agentHello(Event.AgentHello event) {
            supervisor.handle(event.id(), event.pid()).ifPresent(child -> {
                child.setJvm(event.jvm());
                supervisor.agentSaid(child, Supervisor.AgentSignal.HELLO);
            });
        }

        @Override
        public void agentReady(Event.AgentReady event) {
            supervisor.handle(event.id(), event.pid()).ifPresent(c -> supervisor.agentSaid(c, Supervisor.AgentSignal.READY));
        }

        @Override
        public void agentListening(Event.AgentListening event) {
            supervisor.handle(event.id(), event.pid()).ifPresent(c -> supervisor.agentSaid(c, Supervisor.AgentSignal.LISTENING));
        }

        @Override
        public void agentMetrics(Event.AgentMetrics event) {
            supervisor.handle(event.id(), event.pid()).ifPresent(c -> c.setMetrics(event.metrics()));
        }

        @Override
        public void restartDue(Event.RestartDue event) {
            supervisor.restartDue(event.instance(), event.scheduledIn());
        }

        @Override
        public void tick(Event.Tick event) {
            handleTick();
        }

        @Override
        public void stopRequested(Event.StopRequested event) {
            beginShutdown(event.why(), null);
        }
    }

    private void handleRequestReceived(Event.RequestReceived received) {
        if (shuttingDown) {
            received.reply().accept(new Reply.Failed("the jpm daemon is shutting down"));
            return;
        }
        try {
            requests.handle(received.request(), received.reply());
        } catch (RuntimeException e) {
            // A bug must cost one request, not the daemon and every app it holds.
            LOG.error("request {} failed", received.request(), e);
            received.reply().accept(new Reply.Failed("internal error: " + e));
        }
    }

    private void handleTick() {
        boolean sampleCpu = System.nanoTime() - lastCpuSampleNanos >= TimeUnit.MILLISECONDS.toNanos(CPU_SAMPLE_MS);
        if (sampleCpu) {
            lastCpuSampleNanos = System.nanoTime();
        }
        supervisor.tick(sampleCpu);
    }

    /** {@code jpm kill} or a signal: stop every app; the loop ends when the last process has exited. */
    private void beginShutdown(String why, Consumer<Reply> reply) {
        if (!shuttingDown) {
            LOG.info("{}: stopping every app, then the daemon", why);
        }
        shuttingDown = true;
        if (reply != null) {
            killReply = reply;
        }
        for (ManagedApp app : List.copyOf(supervisor.apps().values())) {
            supervisor.abortReload(app, why);
            for (Instance instance : List.copyOf(app.instances())) {
                supervisor.stopAndRemove(instance);
            }
        }
    }

    private void await(BooleanSupplier done, Supplier<Reply> reply, Consumer<Reply> sink) {
        awaitedReplies.add(new AwaitedReply(done, reply, sink));
    }

    private void answerFinishedRequests() {
        for (Iterator<AwaitedReply> it = awaitedReplies.iterator(); it.hasNext(); ) {
            AwaitedReply p = it.next();
            if (p.done().getAsBoolean()) {
                it.remove();
                p.sink().accept(p.reply().get());
            }
        }
    }

    /** Whether a reload can lose queued connections on this kernel; said once, in the daemon's log. */
    private static String reloadSafety() {
        try {
            String value = Files.readString(TCP_MIGRATE_REQ).trim();
            return value.equals("1") ? "net.ipv4.tcp_migrate_req=1: a reload of a listen=reuseport app hands queued connections over"
                    : "net.ipv4.tcp_migrate_req=" + value + ": a reload of a listen=reuseport app may reset connections"
                    + " still queued on a stopping instance; run: sysctl -w net.ipv4.tcp_migrate_req=1";
        } catch (IOException e) {
            return "no net.ipv4.tcp_migrate_req (Linux < 5.14): a reload of a listen=reuseport app may reset"
                    + " connections still queued on a stopping instance";
        }
    }

    private Event take() {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Event.StopRequested("interrupted");
        }
    }

    static List<ProcessInfo> table(Supervisor supervisor) {
        List<ProcessInfo> rows = new ArrayList<>();
        for (ManagedApp app : supervisor.apps().values()) {
            for (Instance instance : app.instances()) {
                rows.add(Snapshot.of(instance, supervisor.stats()));
            }
        }
        rows.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return rows;
    }
}
