package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import dev.clusterservers.processmanager.lifecycle.Action;
import dev.clusterservers.processmanager.lifecycle.Input;
import dev.clusterservers.processmanager.lifecycle.Lifecycle;
import dev.clusterservers.processmanager.lifecycle.ReloadState;
import dev.clusterservers.processmanager.lifecycle.Transitions;
import dev.clusterservers.processmanager.logs.LogFile;
import dev.clusterservers.processmanager.ports.ListenProbe;
import dev.clusterservers.processmanager.ports.PortHold;
import dev.clusterservers.processmanager.proc.ProcStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process table and its verbs, like gunicorn's arbiter: spawn, stop (graceful), kill
 * (forced), reap (an exit), reload, and the heartbeat that checks readiness, deadlines and
 * memory. Only the daemon's loop thread calls it.
 *
 * <p>It keeps no lifecycle of its own: each instance's is its {@link Lifecycle} state (and each
 * retiring process's its {@link Lifecycle.Retiring} state), each app's reload is its
 * {@link ReloadState}. Every verb and every exit is an input to one of the two transition
 * functions, {@link Transitions#next} and {@link ReloadState#next}; the supervisor stores the new
 * state and carries out what it returned ({@link ActionRunner} for an instance's actions). An
 * action or effect that leads to another input only puts it on the queue, which {@link #apply}
 * works off in order: no transition runs inside another, and none looks at a state afterwards.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");

    private final Home home;
    private final Launcher launcher;
    private final Consumer<Event> events;
    private final ScheduledTimer timer;
    private final ProcStats stats = new ProcStats();
    private final Map<String, ManagedApp> apps = new LinkedHashMap<>();
    private final Heartbeat heartbeat = new Heartbeat(this);
    /** Inputs waiting for their transition, in the order they came; see {@link #apply}. */
    private final Deque<Runnable> queued = new ArrayDeque<>();
    private boolean applying;
    private int nextId;

    /** Schedules an event later; the daemon's timer. */
    interface ScheduledTimer {
        void schedule(Event event, long delayMs);
    }

    Supervisor(Home home, Launcher launcher, Consumer<Event> events, ScheduledTimer timer) {
        this.home = home;
        this.launcher = launcher;
        this.events = events;
        this.timer = timer;
    }

    Map<String, ManagedApp> apps() {
        return apps;
    }

    ProcStats stats() {
        return stats;
    }

    Launcher launcher() {
        return launcher;
    }

    Consumer<Event> events() {
        return events;
    }

    ScheduledTimer timer() {
        return timer;
    }

    /** The one way an instance changes state: the transition, then its actions, in order. */
    void apply(Instance instance, Input<InstanceHandle> input) {
        enqueue(() -> {
            Action.Step<InstanceHandle> step = Transitions.next(instance.state(), input);
            instance.setState(step.state());
            run(instance, step);
        });
    }

    /** The same for a retiring process: its exit goes through the same transition function. */
    private void apply(Instance instance, Lifecycle.Retiring<InstanceHandle> retiring, Input<InstanceHandle> input) {
        enqueue(() -> {
            Action.Step<InstanceHandle> step = Transitions.next(retiring, input);
            if (step.state() instanceof Lifecycle.Removed) {
                instance.app().retiring().remove(retiring);
            }
            run(instance, step);
        });
    }

    /** The one way an app's reload changes state: the transition, then its effects, each an input of an instance. */
    void apply(ManagedApp app, ReloadState.Trigger<Instance, InstanceHandle> trigger) {
        enqueue(() -> {
            ReloadState<Instance, InstanceHandle> before = app.reload();
            ReloadState.Step<Instance, InstanceHandle> step = ReloadState.next(before, trigger);
            app.setReload(step.state());
            ActionRunner.carryOut(this, app, before, step);
        });
    }

    private void run(Instance instance, Action.Step<InstanceHandle> step) {
        ActionRunner runner = new ActionRunner(this, instance);
        step.actions().forEach(action -> action.accept(runner));
    }

    /**
     * Puts a transition on the queue and, unless one is being worked off already (this call came
     * from an action), works the queue off: the transitions run one after the other, never nested.
     */
    private void enqueue(Runnable transition) {
        queued.addLast(transition);
        if (applying) {
            return;
        }
        applying = true;
        try {
            Runnable next;
            while ((next = queued.pollFirst()) != null) {
                next.run();
            }
        } finally {
            applying = false;
        }
    }

    // ---- spawn -------------------------------------------------------------------------

    ManagedApp add(AppSpec spec, PortHold port) {
        LOG.info("{}: {} mode, {} instance(s){}, script {}", spec.name(), spec.execMode().word(), spec.instances(),
                spec.hasPort() ? ", port " + spec.port() + (spec.execMode() == ExecMode.CLUSTER ? " (listen: " + spec.listen().word() + ")" : "") : "",
                spec.script().target());
        ManagedApp app = new ManagedApp(spec, port);
        apps.put(spec.name(), app);
        for (int i = 0; i < spec.instances(); i++) {
            spawn(addInstance(app));
        }
        return app;
    }

    Instance addInstance(ManagedApp app) {
        int id = nextId++;
        Instance instance = new Instance(id, app,
                new LogFile(home.outLog(app.name(), id), LogFile.MAX_BYTES),
                new LogFile(home.errLog(app.name(), id), LogFile.MAX_BYTES));
        app.instances().add(instance);
        return instance;
    }

    void spawn(Instance instance) {
        apply(instance, new Input.Start<>());
    }

    // ---- stop and kill -----------------------------------------------------------------

    /** Graceful: SIGTERM, SIGKILL after kill_timeout; a scheduled restart is cancelled. */
    void stop(Instance instance) {
        abortReload(instance.app(), "a stop was requested");
        apply(instance, new Input.Stop<>(Lifecycle.Then.STAY));
    }

    /** Stops the instance, then forgets it (scale down, delete, kill). */
    void stopAndRemove(Instance instance) {
        abortReload(instance.app(), "a stop was requested");
        apply(instance, new Input.Stop<>(Lifecycle.Then.REMOVE));
    }

    /** Stops the instance and starts it again once it has exited. */
    void restart(Instance instance) {
        instance.policy().reset();
        if (instance.isRunning()) {
            abortReload(instance.app(), "a stop was requested");
        }
        apply(instance, new Input.Stop<>(Lifecycle.Then.RESTART));
    }

    void remove(Instance instance) {
        ManagedApp app = instance.app();
        app.instances().remove(instance);
        instance.closeLogs();
        forgetIfEmpty(app);
    }

    void forgetIfEmpty(ManagedApp app) {
        if (app.instances().isEmpty() && app.retiring().isEmpty() && apps.get(app.name()) == app) {
            app.releasePort();
            apps.remove(app.name());
            LOG.info("{}: deleted", app.name());
        }
    }

    // ---- reap --------------------------------------------------------------------------

    /** A process ended: a drained old one, a discarded replacement, a stop we asked for, or a crash. */
    void reap(InstanceHandle child, int exitValue) {
        Instance instance = child.instance();
        stats.forget(child.pid());
        Input.Exited<InstanceHandle> exited = new Input.Exited<>(child, ExitCode.describe(exitValue),
                () -> instance.policy().onExit(instance.isOnline(child), child.onlineForMs()));
        Lifecycle.Retiring<InstanceHandle> retiring = instance.app().retiringOf(child);
        if (retiring != null) {
            apply(instance, retiring, exited);
        } else {
            apply(instance, exited);
        }
    }

    void restartDue(Instance instance, Lifecycle.WaitingRestart<InstanceHandle> scheduledIn) {
        apply(instance, new Input.RestartDue<>(scheduledIn));
    }

    // ---- readiness ---------------------------------------------------------------------

    /**
     * An agent said something: if that is what "ready" means for this app, the process is ready.
     * That is: with {@code wait_ready}, the app said so; with a shared listener, the app's server
     * channel became it (every instance holds that socket from birth, so /proc cannot tell);
     * with another port, nothing the agent says (the {@link Heartbeat} looks in /proc for a
     * listening socket); otherwise, its hello (the JVM runs).
     */
    void agentSaid(InstanceHandle child, AgentSignal said) {
        AppSpec spec = child.instance().app().spec();
        AgentSignal meansReady = spec.waitReady() ? AgentSignal.READY
                : spec.sharesListener() ? AgentSignal.LISTENING
                : spec.hasPort() ? null
                : AgentSignal.HELLO;
        if (said == meansReady) {
            apply(child.instance(), new Input.Ready<>(child));
        }
    }

    /** What an agent can say about its process's readiness. */
    enum AgentSignal { HELLO, READY, LISTENING }

    /** With a port and no agent signal for it: ready once this very process listens on the port. */
    void probeListening(InstanceHandle child) {
        AppSpec spec = child.instance().app().spec();
        if (!spec.waitReady() && !spec.sharesListener() && spec.hasPort() && ListenProbe.listens(child.pid(), spec.port())) {
            apply(child.instance(), new Input.Ready<>(child));
        }
    }

    /** The process of instance {@code id} with this PID: the current one, a replacement or a retiring one. */
    Optional<InstanceHandle> handle(int id, long pid) {
        return allHandles().stream().filter(c -> c.instance().id() == id && c.pid() == pid).findFirst();
    }

    // ---- reload ------------------------------------------------------------------------

    /** Starts a rolling reload of these instances of one app; false if one is already running. */
    boolean reload(ManagedApp app, List<Instance> instances) {
        if (app.isReloading()) {
            return false;
        }
        if (app.spec().execMode() == ExecMode.FORK) {
            // A fork-mode instance binds its port alone: the new one cannot start beside it. PM2 restarts them.
            instances.forEach(this::restart);
            apply(app, new ReloadState.Begin<>(List.of()));
            return true;
        }
        instances.forEach(i -> i.policy().reset());
        apply(app, new ReloadState.Begin<>(instances));
        return true;
    }

    /** Ends the app's reload, if one runs, killing a replacement that is not ready yet. */
    void abortReload(ManagedApp app, String why) {
        apply(app, new ReloadState.Abort<>(why));
    }

    // ---- heartbeat ---------------------------------------------------------------------

    void tick(boolean sampleCpu) {
        heartbeat.tick();
        if (sampleCpu) {
            allHandles().forEach(c -> stats.sample(c.pid()));
        }
    }

    List<InstanceHandle> allHandles() {
        List<InstanceHandle> children = new ArrayList<>();
        for (ManagedApp app : apps.values()) {
            for (Instance instance : app.instances()) {
                if (instance.current() != null) {
                    children.add(instance.current());
                }
                if (instance.state() instanceof Lifecycle.Reloading<InstanceHandle> reloading) {
                    children.add(reloading.replacement());
                }
            }
            app.retiring().forEach(r -> children.add(r.process()));
        }
        return children;
    }
}
