package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.io.IOException;
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
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");

    private final Home home;
    private final Launcher launcher;
    private final Consumer<Event> events;
    private final ScheduledTimer timer;
    private final ProcStats stats = new ProcStats();
    private final Map<String, App> apps = new LinkedHashMap<>();
    private int nextId;

    /** Schedules an event later; the daemon's timer. */
    interface ScheduledTimer {
        void schedule(Event event, long delayMs);
    }

    Supervisor(Home home, Consumer<Event> events, ScheduledTimer timer) {
        this.home = home;
        this.launcher = new Launcher(home);
        this.events = events;
        this.timer = timer;
    }

    Map<String, App> apps() {
        return apps;
    }

    ProcStats stats() {
        return stats;
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
        Child child = startChild(instance);
        if (child != null) {
            instance.setCurrent(child);
            instance.setStatus(Status.LAUNCHING);
            LOG.info("{} {}: started, PID {}", instance.app().name(), instance.id(), child.pid());
        } else {
            instance.setStatus(Status.ERRORED);
        }
    }

    private Child startChild(Instance instance) {
        try {
            Child child = launcher.start(instance, instance.app().instances().indexOf(instance));
            child.process().onExit().thenAccept(p -> events.accept(new Event.ChildExited(child, p.exitValue())));
            return child;
        } catch (IOException e) {
            LOG.error("{} {}: cannot start {}: {}", instance.app().name(), instance.id(),
                    launcher.command(instance.app().spec()), e.getMessage());
            instance.err().append("[jpm] cannot start: " + e.getMessage());
            return null;
        }
    }

    // ---- stop and kill -----------------------------------------------------------------

    /** Graceful: SIGTERM, SIGKILL after kill_timeout; a scheduled restart is cancelled. */
    void stop(Instance instance) {
        instance.cancelScheduledRestart();
        abortReload(instance.app(), "a stop was requested");
        if (instance.isRunning()) {
            instance.current().stop(instance.app().spec().killTimeoutMs());
            instance.setStatus(Status.STOPPING);
        } else if (instance.removeAfterExit()) {
            remove(instance);
        } else {
            instance.setStatus(Status.STOPPED);
        }
    }

    /** Stops the instance, then forgets it (scale down, delete, kill). */
    void stopAndRemove(Instance instance) {
        instance.setRemoveAfterExit();
        instance.setStartAfterExit(false);
        stop(instance);
    }

    /** Stops the instance and starts it again once it has exited. */
    void restart(Instance instance) {
        instance.policy().reset();
        if (instance.isRunning()) {
            stop(instance);
            instance.setStartAfterExit(true);
        } else {
            instance.cancelScheduledRestart();
            instance.countRestart();
            spawn(instance);
        }
    }

    private void remove(Instance instance) {
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
            LOG.info("{} {}: old process {} exited ({})", app.name(), instance.id(), child.pid(), how);
            if (app.reload() != null && app.reload().retiring() == child) {
                continueReload(app);
            }
            forgetIfEmpty(app);
            return;
        }
        if (app.reload() != null && app.reload().replacement() == child) {
            abortReload(app, "replacement PID " + child.pid() + " exited (" + how + ") before it was ready");
            return;
        }
        if (instance.current() != child) {
            return;
        }
        instance.setCurrent(null);
        if (instance.removeAfterExit()) {
            LOG.info("{} {}: PID {} stopped ({})", app.name(), instance.id(), child.pid(), how);
            remove(instance);
        } else if (child.isStopping()) {
            LOG.info("{} {}: PID {} stopped ({})", app.name(), instance.id(), child.pid(), how);
            if (instance.startAfterExit()) {
                instance.setStartAfterExit(false);
                instance.countRestart();
                spawn(instance);
            } else {
                instance.setStatus(Status.STOPPED);
            }
        } else {
            crashed(instance, child, how);
        }
    }

    private void crashed(Instance instance, Child child, String how) {
        String name = instance.app().name();
        RestartPolicy.Decision decision = instance.policy().onExit(child.isReady(), child.readyForMs());
        if (decision instanceof RestartPolicy.Decision.Restart restart) {
            instance.remember(new RestartRecord(System.currentTimeMillis(), how, restart.delayMs()));
            instance.setStatus(Status.WAITING_RESTART);
            timer.schedule(new Event.RestartDue(instance, instance.generation()), restart.delayMs());
            LOG.warn("{} {}: PID {} exited ({}) after {} ms ({}); restarting in {} ms", name, instance.id(), child.pid(), how,
                    child.uptimeMs(), child.isReady() ? "ready for " + child.readyForMs() + " ms" : "never ready", restart.delayMs());
        } else if (decision instanceof RestartPolicy.Decision.GiveUp giveUp) {
            instance.setStatus(Status.ERRORED);
            LOG.error("{} {}: PID {} exited ({}); errored: {}", name, instance.id(), child.pid(), how, giveUp.why());
        } else if (decision instanceof RestartPolicy.Decision.StayStopped stay) {
            instance.setStatus(Status.STOPPED);
            LOG.info("{} {}: PID {} exited ({}); not restarted: {}", name, instance.id(), child.pid(), how, stay.why());
        }
    }

    void restartDue(Instance instance, long generation) {
        if (generation == instance.generation() && instance.status() == Status.WAITING_RESTART && !instance.isRunning()
                && instance.app().instances().contains(instance)) {
            instance.countRestart();
            spawn(instance);
        }
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
    private void checkReady(Child child) {
        if (child.isReady()) {
            return;
        }
        AppSpec spec = child.instance().app().spec();
        boolean ready = spec.waitReady() ? child.hasSignalledReady()
                : spec.sharesListener() ? child.hasAdoptedListener()
                : spec.hasPort() ? ListenProbe.listens(child.pid(), spec.port())
                : child.hasSaidHello();
        if (!ready) {
            return;
        }
        child.markReady();
        Instance instance = child.instance();
        RollingReload reload = instance.app().reload();
        if (reload != null && reload.replacement() == child) {
            handOver(instance.app(), reload, child);
        } else if (instance.current() == child && instance.status() == Status.LAUNCHING) {
            instance.setStatus(Status.ONLINE);
            LOG.info("{} {}: online, PID {} (ready after {} ms)", instance.app().name(), instance.id(), child.pid(), child.uptimeMs());
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

    private void continueReload(App app) {
        RollingReload reload = app.reload();
        Instance instance;
        while ((instance = reload.next()) != null) {
            if (!instance.isRunning() || !app.instances().contains(instance)) {
                continue;
            }
            Child replacement = startChild(instance);
            if (replacement == null) {
                abortReload(app, "cannot start a replacement for instance " + instance.id());
                return;
            }
            reload.replacementStarted(replacement);
            LOG.info("{} {}: reloading: replacement PID {} started beside PID {}",
                    app.name(), instance.id(), replacement.pid(), instance.current().pid());
            return;
        }
        reload.finish(null);
        app.setReload(null);
        LOG.info("{}: reload done, {} instance(s) replaced", app.name(), reload.replaced());
    }

    private void handOver(App app, RollingReload reload, Child replacement) {
        Instance instance = reload.instance();
        Child old = instance.current();
        instance.setCurrent(replacement);
        instance.setStatus(Status.ONLINE);
        instance.countRestart();
        LOG.info("{} {}: replacement PID {} ready after {} ms; old PID {} drains",
                app.name(), instance.id(), replacement.pid(), replacement.uptimeMs(), old == null ? 0 : old.pid());
        reload.swapped(old);
        if (old == null) {
            continueReload(app);
            return;
        }
        app.retiring().add(old);
        old.stop(app.spec().killTimeoutMs());
    }

    void abortReload(App app, String why) {
        RollingReload reload = app.reload();
        if (reload == null) {
            return;
        }
        Child replacement = reload.replacement();
        if (replacement != null) {
            // Not ready, so it serves nothing yet: no drain to wait for.
            replacement.kill();
            app.retiring().add(replacement);
        }
        String instance = reload.instance() == null ? "" : " at instance " + reload.instance().id();
        reload.finish("reload of " + app.name() + " stopped" + instance + ": " + why
                + "; the old process keeps serving");
        app.setReload(null);
        LOG.error("{}", reload.failure());
    }

    // ---- heartbeat ---------------------------------------------------------------------

    void tick(boolean sampleCpu) {
        for (App app : List.copyOf(apps.values())) {
            AppSpec spec = app.spec();
            for (Instance instance : List.copyOf(app.instances())) {
                Child child = instance.current();
                if (child == null) {
                    continue;
                }
                killIfDue(child);
                if (instance.status() == Status.LAUNCHING) {
                    checkReady(child);
                    if (instance.status() == Status.LAUNCHING && child.uptimeMs() > spec.listenTimeoutMs()) {
                        LOG.warn("{} {}: PID {} not ready after listen_timeout ({} ms); counting it online",
                                app.name(), instance.id(), child.pid(), spec.listenTimeoutMs());
                        child.markReady();
                        instance.setStatus(Status.ONLINE);
                    }
                }
                if (instance.status() == Status.ONLINE) {
                    instance.policy().onUptime(child.uptimeMs());
                    checkMemory(app, instance, child);
                }
            }
            app.retiring().forEach(this::killIfDue);
            RollingReload reload = app.reload();
            if (reload != null && reload.replacement() != null) {
                Child replacement = reload.replacement();
                checkReady(replacement);
                if (app.reload() == reload && reload.replacement() == replacement
                        && replacement.uptimeMs() > spec.listenTimeoutMs()) {
                    abortReload(app, "replacement PID " + replacement.pid() + " was not ready within listen_timeout ("
                            + spec.listenTimeoutMs() + " ms)");
                }
            }
        }
        if (sampleCpu) {
            allChildren().forEach(c -> stats.sample(c.pid()));
        }
    }

    private void killIfDue(Child child) {
        if (child.killIsDue()) {
            LOG.warn("{} {}: PID {} still running after kill_timeout; SIGKILL",
                    child.instance().app().name(), child.instance().id(), child.pid());
            child.kill();
        }
    }

    /** Over {@code max_memory_restart}: a graceful reload of this one instance, PM2's answer. */
    private void checkMemory(App app, Instance instance, Child child) {
        long limit = app.spec().maxMemoryRestartBytes();
        if (limit <= 0 || app.reload() != null || !instance.memoryCheckDue(app.spec().memoryCheckIntervalMs())) {
            return;
        }
        long resident = ProcStats.residentBytes(child.pid());
        if (resident > limit) {
            LOG.warn("{} {}: PID {} uses {} MiB, over max_memory_restart ({} MiB); reloading it",
                    app.name(), instance.id(), child.pid(), resident >> 20, limit >> 20);
            instance.remember(new RestartRecord(System.currentTimeMillis(), "max_memory_restart: " + (resident >> 20) + " MiB", 0));
            reload(app, List.of(instance), new RollingReload(List.of(instance)));
        }
    }

    List<Child> allChildren() {
        List<Child> children = new ArrayList<>();
        for (App app : apps.values()) {
            for (Instance instance : app.instances()) {
                if (instance.current() != null) {
                    children.add(instance.current());
                }
            }
            children.addAll(app.retiring());
            if (app.reload() != null && app.reload().replacement() != null) {
                children.add(app.reload().replacement());
            }
        }
        return children;
    }
}
