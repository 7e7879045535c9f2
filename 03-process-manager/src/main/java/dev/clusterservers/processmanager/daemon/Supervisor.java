package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import java.util.ArrayList;
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
 * <p>It keeps no lifecycle of its own: each instance's is its {@link Lifecycle} state, every
 * verb and every exit is an {@link Input} to {@link Transitions#next}, and the supervisor stores
 * the new state and has the {@link ActionRunner} carry out the actions, starting processes
 * through the injected {@link Launcher}. What is the app's, not an instance's, stays here: the
 * rolling reload's queue ({@link RollingReload}) and the retiring processes it replaced.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");

    private final Home home;
    private final Launcher launcher;
    private final Consumer<Event> events;
    private final ScheduledTimer timer;
    private final ProcStats stats = new ProcStats();
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Heartbeat heartbeat = new Heartbeat(this);
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

    Map<String, App> apps() {
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
    void dispatch(Instance instance, Input<Child> input) {
        Action.Step<Child> step = Transitions.next(instance.state(), input);
        instance.setState(step.state());
        ActionRunner runner = new ActionRunner(this, instance);
        step.actions().forEach(action -> action.accept(runner));
    }

    // ---- spawn -------------------------------------------------------------------------

    App add(AppSpec spec, PortHold port) {
        LOG.info("{}: {} mode, {} instance(s){}, script {}", spec.name(), spec.execMode().word(), spec.instances(),
                spec.hasPort() ? ", port " + spec.port() + (spec.execMode() == ExecMode.CLUSTER ? " (listen: " + spec.listen().word() + ")" : "") : "",
                spec.script().target());
        App app = new App(spec, port);
        apps.put(spec.name(), app);
        for (int i = 0; i < spec.instances(); i++) {
            spawn(addInstance(app));
        }
        return app;
    }

    Instance addInstance(App app) {
        int id = nextId++;
        Instance instance = new Instance(id, app,
                new LogFile(home.outLog(app.name(), id), LogFile.MAX_BYTES),
                new LogFile(home.errLog(app.name(), id), LogFile.MAX_BYTES));
        app.instances().add(instance);
        return instance;
    }

    void spawn(Instance instance) {
        dispatch(instance, new Input.Start<>());
    }

    // ---- stop and kill -----------------------------------------------------------------

    /** Graceful: SIGTERM, SIGKILL after kill_timeout; a scheduled restart is cancelled. */
    void stop(Instance instance) {
        abortReload(instance.app(), "a stop was requested");
        dispatch(instance, new Input.Stop<>(Lifecycle.Then.STAY));
    }

    /** Stops the instance, then forgets it (scale down, delete, kill). */
    void stopAndRemove(Instance instance) {
        abortReload(instance.app(), "a stop was requested");
        dispatch(instance, new Input.Stop<>(Lifecycle.Then.REMOVE));
    }

    /** Stops the instance and starts it again once it has exited. */
    void restart(Instance instance) {
        instance.policy().reset();
        if (instance.isRunning()) {
            abortReload(instance.app(), "a stop was requested");
        }
        dispatch(instance, new Input.Stop<>(Lifecycle.Then.RESTART));
    }

    void remove(Instance instance) {
        App app = instance.app();
        app.instances().remove(instance);
        instance.closeLogs();
        forgetIfEmpty(app);
    }

    private void forgetIfEmpty(App app) {
        if (app.instances().isEmpty() && app.retiring().isEmpty() && apps.get(app.name()) == app) {
            app.releasePort();
            apps.remove(app.name());
            LOG.info("{}: deleted", app.name());
        }
    }

    // ---- reap --------------------------------------------------------------------------

    /** A process ended: a drained old one, a failed replacement, a stop we asked for, or a crash. */
    void reap(Child child, int exitValue) {
        Instance instance = child.instance();
        App app = instance.app();
        stats.forget(child.pid());
        String how = ExitCode.describe(exitValue);
        if (app.retiring().remove(child)) {
            if (child.wasDiscarded()) {
                LOG.info("{} {}: replacement PID {} exited ({}); it never served", app.name(), instance.id(), child.pid(), how);
            } else {
                LOG.info("{} {}: old process {} exited ({})", app.name(), instance.id(), child.pid(), how);
            }
            if (app.reload() != null && app.reload().retiring() == child) {
                continueReload(app);
            }
            forgetIfEmpty(app);
            return;
        }
        dispatch(instance, new Input.Exited<>(child, how, () -> instance.policy().onExit(child.isReady(), child.readyForMs())));
    }

    void restartDue(Instance instance, Lifecycle.WaitingRestart<Child> scheduledIn) {
        dispatch(instance, new Input.RestartDue<>(scheduledIn));
    }

    // ---- readiness ---------------------------------------------------------------------

    /** An agent said hello or ready: look at that process now rather than at the next tick. */
    void agentSaid(Child child, boolean ready) {
        if (ready) {
            child.readySignalled();
        }
        checkReady(child);
    }

    /** With a shared listener: the app bound the port, so it accepts from the shared queue. */
    void agentListens(Child child) {
        child.listeningSignalled();
        checkReady(child);
    }

    /** The process of instance {@code id} with this PID: the current one, a replacement or a retiring one. */
    Optional<Child> child(int id, long pid) {
        return allChildren().stream().filter(c -> c.instance().id() == id && c.pid() == pid).findFirst();
    }

    /**
     * Ready means: with {@code wait_ready}, the app said so; with a shared listener, the app's
     * server channel became it (every instance holds that socket from birth, so /proc cannot
     * tell); with another port, this very process listens on it; otherwise, its agent said
     * hello (the JVM runs).
     */
    void checkReady(Child child) {
        if (child.isReady()) {
            return;
        }
        AppSpec spec = child.instance().app().spec();
        boolean ready = spec.waitReady() ? child.hasSignalledReady()
                : spec.sharesListener() ? child.hasAdoptedListener()
                : spec.hasPort() ? ListenProbe.listens(child.pid(), spec.port())
                : child.hasSaidHello();
        if (ready) {
            child.markReady();
            dispatch(child.instance(), new Input.Ready<>(child));
        }
    }

    // ---- reload ------------------------------------------------------------------------

    /** Starts a rolling reload of these instances of one app; false if one is already running. */
    boolean reload(App app, List<Instance> instances, RollingReload reload) {
        if (app.reload() != null) {
            return false;
        }
        if (app.spec().execMode() == ExecMode.FORK) {
            // A fork-mode instance binds its port alone: the new one cannot start beside it. PM2 restarts them.
            instances.forEach(this::restart);
            reload.finish(null);
            return true;
        }
        instances.forEach(i -> i.policy().reset());
        app.setReload(reload);
        continueReload(app);
        return true;
    }

    /** The next instance that runs gets a replacement; with none left, the reload is done. */
    private void continueReload(App app) {
        RollingReload reload = app.reload();
        Instance instance;
        while ((instance = reload.next()) != null) {
            if (!app.instances().contains(instance)) {
                continue;
            }
            dispatch(instance, new Input.ReloadBegin<>());
            if (app.reload() != reload || instance.state() instanceof Lifecycle.Reloading) {
                return; // it failed to start, or it runs: its readiness or exit decides what comes next
            }
        }
        reload.finish(null);
        app.setReload(null);
        LOG.info("{}: reload done, {} instance(s) replaced", app.name(), reload.replaced());
    }

    /** Ends the app's reload, if one runs, killing a replacement that is not ready yet. */
    void abortReload(App app, String why) {
        RollingReload reload = app.reload();
        if (reload == null) {
            return;
        }
        if (reload.instance() != null && app.instances().contains(reload.instance())) {
            dispatch(reload.instance(), new Input.ReloadAbort<>(why));
        }
        failReload(app, why);
    }

    /** What a {@link Action.ReloadFailed} does: the reload's requester hears why. */
    void failReload(App app, String why) {
        RollingReload reload = app.reload();
        if (reload == null) {
            return;
        }
        String instance = reload.instance() == null ? "" : " at instance " + reload.instance().id();
        reload.finish("reload of " + app.name() + " stopped" + instance + ": " + why
                + "; the old process keeps serving");
        app.setReload(null);
        LOG.error("{}", reload.failure());
    }

    // ---- heartbeat ---------------------------------------------------------------------

    void tick(boolean sampleCpu) {
        heartbeat.tick();
        if (sampleCpu) {
            allChildren().forEach(c -> stats.sample(c.pid()));
        }
    }

    List<Child> allChildren() {
        List<Child> children = new ArrayList<>();
        for (App app : apps.values()) {
            for (Instance instance : app.instances()) {
                if (instance.current() != null) {
                    children.add(instance.current());
                }
                if (instance.state() instanceof Lifecycle.Reloading<Child> reloading) {
                    children.add(reloading.replacement());
                }
            }
            children.addAll(app.retiring());
        }
        return children;
    }
}
