package dev.clusterservers.shareports;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.EventQueue;
import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.Respawner;
import dev.clusterservers.plumbing.Signals;
import dev.clusterservers.shareports.sharing.PortSharing;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master: binds what its strategy needs, starts the workers, replaces those that die,
 * and stops them all on SIGTERM or Ctrl-C.
 *
 * <p>Like gunicorn's arbiter, everything that happens to the master (a worker exits, a
 * signal arrives, a back-off delay ends) only puts an {@link Event} on a queue; one loop
 * takes them in order and handles each in a {@code handleX} method. So no two threads ever
 * change the worker table at once, and {@link #run()} reads as a table of contents.
 */
final class Master {
    private static final Logger LOG = LoggerFactory.getLogger("master");

    /**
     * With {@code --tune-workers}: a JVM sizes its GC threads, JIT compiler threads and
     * Jetty's selector and thread pools from the number of CPUs it sees. N workers that each
     * see every core oversubscribe the machine N times over; telling each JVM its share makes
     * N workers together behave like one JVM using all cores. The serial collector (what the
     * JVM itself picks on one CPU) suits a worker's short-lived garbage, with no GC threads of
     * its own. The heap is sized on purpose: without {@code -Xmx}, each JVM may grow its heap
     * toward a quarter of the machine's memory, and N workers would claim N quarters; a hello
     * world keeps a few megabytes live, so a small heap is plenty and keeps each worker's
     * resident memory small. JIT stays on at every tier: a server lives long enough for C2.
     * The module README's benchmark section shows what each flag changes.
     */
    static List<String> tunedFlags(int workers, int cores) {
        int share = Math.max(1, cores / workers);
        return List.of("-XX:ActiveProcessorCount=" + share, "-XX:+UseSerialGC", "-Xms16m", "-Xmx64m");
    }

    /** After the drain timeout, how long a worker gets to exit before SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);

    /** What the loop reacts to; each is handled by the {@code handleX} of the same name. */
    sealed interface Event {
        record WorkerExited(WorkerHandle worker, int exitValue) implements Event { }

        record RespawnDue(int slot) implements Event { }

        record StopRequested(String why) implements Event { }
    }

    private final Options options;
    private final long pid = ProcessHandle.current().pid();
    private final PortSharing sharing;
    private final EventQueue<Event> events = new EventQueue<>("master-timer");
    private final Map<Integer, WorkerHandle> workers = new TreeMap<>();
    /** Each slot's back-off, and the children a shutdown hook kills if the JVM exits any other way. */
    private final Respawner<Event> respawner = new Respawner<>(events, Event.RespawnDue::new);
    private int port;
    private int exitCode = ExitCode.OK;

    Master(Options options) {
        this.options = options;
        this.sharing = options.strategy().masterSide();
    }

    int run() {
        LOG.info("Starting master, PID: {} ({})", pid, options.describe());
        if (!bind()) {
            return ExitCode.PORT_UNAVAILABLE;
        }
        LOG.info("Master server created!! PID: {} running in PORT: {}", pid, port);
        Signals.onTerminate(signal -> events.add(new Event.StopRequested("SIG" + signal)));
        respawner.killChildrenOnExit();
        spawnAll();

        while (true) {
            Event event = events.take(new Event.StopRequested("interrupted"));
            if (event instanceof Event.WorkerExited exited) {
                handleWorkerExited(exited);
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

    /** Binds what the strategy binds in the master; on failure says why in one line. */
    private boolean bind() {
        try {
            port = sharing.open(new InetSocketAddress(options.port()));
            return true;
        } catch (BindException e) {
            LOG.error("Cannot listen on port {}: {}; choose another port with --port 8080"
                    + " (under Maven: -Dexec.args=\"--port 8080\")",
                    options.port(), e.getMessage());
        } catch (IOException e) {
            LOG.error("Cannot set up the {} strategy on port {}: {}", options.strategy(), options.port(), e.toString());
        }
        sharing.close();
        return false;
    }

    private void spawnAll() {
        for (int slot = 1; slot <= options.workers(); slot++) {
            spawn(slot);
        }
    }

    private void spawn(int slot) {
        List<String> args = new ArrayList<>(List.of(
                "--role", "WORKER", "--worker-id", Integer.toString(slot),
                "--strategy", options.strategy().flag(), "--port", Integer.toString(port),
                "--drain-timeout", Long.toString(options.drainTimeout().toSeconds()),
                "--store", options.store().flag()));
        args.addAll(sharing.workerArgs());
        List<String> jvmFlags = new ArrayList<>(ChildJvm.REQUIRED_FLAGS);
        if (options.tuneWorkers()) {
            jvmFlags.addAll(tunedFlags(options.workers(), Runtime.getRuntime().availableProcessors()));
        }
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(SharePorts.class, jvmFlags, args))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = sharing.start(builder);
            WorkerHandle worker = new WorkerHandle(slot, process);
            workers.put(slot, worker);
            respawner.started(process);
            process.onExit().thenAccept(p -> events.add(new Event.WorkerExited(worker, p.exitValue())));
        } catch (IOException e) {
            LOG.error("Cannot start worker {}: {}", slot, e.getMessage());
            respawner.scheduleRespawn(slot, Duration.ZERO);
        }
    }

    private void handleWorkerExited(Event.WorkerExited event) {
        WorkerHandle worker = event.worker();
        respawner.exited(worker.process());
        workers.remove(worker.slot(), worker);
        String how = ExitCode.describe(event.exitValue());
        if (event.exitValue() == ExitCode.PORT_UNAVAILABLE || event.exitValue() == ExitCode.WORKER_SETUP_FAILED) {
            // A replacement would fail the same way: that is a configuration problem, not a crash.
            LOG.error("worker {} died ({}) and cannot be replaced: see its message above", worker.pid(), how);
            exitCode = event.exitValue();
            events.add(new Event.StopRequested("a worker cannot start"));
            return;
        }
        Duration delay = respawner.scheduleRespawn(worker.slot(), worker.uptime());
        LOG.warn("worker {} died ({}); replacing it {}", worker.pid(), how,
                delay.isZero() ? "now" : "in " + delay.toMillis() + " ms (it died soon after starting)");
    }

    private void handleRespawnDue(Event.RespawnDue event) {
        if (!workers.containsKey(event.slot())) {
            spawn(event.slot());
        }
    }

    private int handleStopRequested(Event.StopRequested event) {
        LOG.info("{}: stopping {} workers, waiting up to {} s for requests in flight",
                event.why(), workers.size(), options.drainTimeout().toSeconds());
        events.cancelTimers();
        sharing.stopAccepting();
        workers.values().forEach(WorkerHandle::stop);

        long deadline = System.nanoTime() + options.drainTimeout().plus(KILL_GRACE).toNanos();
        while (!workers.isEmpty()) {
            Event next = events.pollUntil(deadline);
            if (next == null) {
                break;
            }
            // While stopping, only exits matter: nothing is respawned, and a second stop request changes nothing.
            if (next instanceof Event.WorkerExited exited) {
                respawner.exited(exited.worker().process());
                workers.remove(exited.worker().slot(), exited.worker());
                LOG.info("worker {} stopped ({})", exited.worker().pid(), ExitCode.describe(exited.exitValue()));
            } else if (!(next instanceof Event.RespawnDue || next instanceof Event.StopRequested)) {
                throw new IllegalStateException("no handler for event " + next + " while stopping");
            }
        }
        for (WorkerHandle worker : workers.values()) {
            LOG.warn("worker {} did not stop in time; killing it", worker.pid());
            worker.kill();
            worker.process().onExit().join();
        }
        workers.clear();
        sharing.close();
        LOG.info("Master PID: {} stopped", pid);
        return exitCode;
    }
}
