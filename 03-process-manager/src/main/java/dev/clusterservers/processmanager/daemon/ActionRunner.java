package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.lifecycle.Action;
import dev.clusterservers.processmanager.lifecycle.Input;
import dev.clusterservers.processmanager.lifecycle.Lifecycle;
import dev.clusterservers.processmanager.lifecycle.ReloadState;
import dev.clusterservers.processmanager.lifecycle.RestartPolicy;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one instance's {@link Action}s: the only place that starts, signals, schedules
 * and logs for a transition. LaunchRequested goes through the injected {@link Launcher}, and its
 * outcome goes back on the supervisor's queue as {@link Input.Spawned} or
 * {@link Input.SpawnFailed}; what concerns the app's reload goes there as a
 * {@link ReloadState.Trigger}, and a reload's own effects ({@link #carryOut}) go there as
 * inputs of its instances. Nothing here applies a transition itself.
 */
final class ActionRunner implements Action.Handler<InstanceHandle> {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");

    private final Supervisor supervisor;
    private final Instance instance;
    private final ManagedApp app;

    ActionRunner(Supervisor supervisor, Instance instance) {
        this.supervisor = supervisor;
        this.instance = instance;
        this.app = instance.app();
    }

    @Override
    public void launch(Action.Launch<InstanceHandle> action) {
        Launcher launcher = supervisor.launcher();
        InstanceHandle child;
        try {
            child = launcher.start(instance, app.instances().indexOf(instance));
        } catch (IOException e) {
            LOG.error("{} {}: cannot start {}: {}", app.name(), instance.id(), launcher.command(app.spec()), e.getMessage());
            instance.err().append("[jpm] cannot start: " + e.getMessage());
            supervisor.apply(instance, new Input.SpawnFailed<>(e.getMessage()));
            return;
        }
        child.process().onExit().thenAccept(p -> supervisor.events().accept(new Event.ProcessExited(child, p.exitValue())));
        supervisor.apply(instance, new Input.Spawned<>(child));
    }

    @Override
    public void started(Action.Started<InstanceHandle> action) {
        LOG.info("{} {}: started, PID {}", app.name(), instance.id(), action.process().pid());
    }

    @Override
    public void terminate(Action.Terminate<InstanceHandle> action) {
        action.process().stop(app.spec().killTimeoutMs());
    }

    @Override
    public void drain(Action.Drain<InstanceHandle> action) {
        InstanceHandle old = action.old();
        InstanceHandle replacement = action.replacement();
        LOG.info("{} {}: replacement PID {} ready after {} ms; old PID {} drains",
                app.name(), instance.id(), replacement.pid(), replacement.uptimeMs(), old.pid());
        replacement.markOnline();
        app.retiring().add(new Lifecycle.Retiring<>(old, true));
        old.stop(app.spec().killTimeoutMs());
        supervisor.apply(app, new ReloadState.TookOver<>(instance, old));
    }

    @Override
    public void discard(Action.Discard<InstanceHandle> action) {
        // Not ready, so it serves nothing yet: no drain to wait for.
        app.retiring().add(new Lifecycle.Retiring<>(action.replacement(), false));
        action.replacement().kill();
    }

    @Override
    public void retired(Action.Retired<InstanceHandle> action) {
        InstanceHandle child = action.process();
        if (action.served()) {
            LOG.info("{} {}: old process {} exited ({})", app.name(), instance.id(), child.pid(), action.how());
            supervisor.apply(app, new ReloadState.OldExited<>(child));
        } else {
            LOG.info("{} {}: replacement PID {} exited ({}); it never served", app.name(), instance.id(), child.pid(), action.how());
        }
        supervisor.forgetIfEmpty(app);
    }

    @Override
    public void nothingToReplace(Action.NothingToReplace<InstanceHandle> action) {
        supervisor.apply(app, new ReloadState.NothingToReplace<>(instance));
    }

    @Override
    public void wentOnline(Action.WentOnline<InstanceHandle> action) {
        InstanceHandle child = action.process();
        child.markOnline();
        LOG.info("{} {}: online, PID {} (ready after {} ms)", app.name(), instance.id(), child.pid(), child.uptimeMs());
    }

    @Override
    public void countedOnline(Action.CountedOnline<InstanceHandle> action) {
        InstanceHandle child = action.process();
        LOG.warn("{} {}: PID {} not ready after listen_timeout ({} ms); counting it online",
                app.name(), instance.id(), child.pid(), app.spec().listenTimeoutMs());
        child.markOnline();
    }

    @Override
    public void replacementStarted(Action.ReplacementStarted<InstanceHandle> action) {
        LOG.info("{} {}: reloading: replacement PID {} started beside PID {}",
                app.name(), instance.id(), action.replacement().pid(), action.old().pid());
    }

    @Override
    public void exitedOnStop(Action.ExitedOnStop<InstanceHandle> action) {
        LOG.info("{} {}: PID {} stopped ({})", app.name(), instance.id(), action.process().pid(), action.how());
    }

    @Override
    public void crashed(Action.Crashed<InstanceHandle> action) {
        InstanceHandle child = action.process();
        String how = action.how();
        RestartPolicy.Decision decision = action.decision();
        if (decision instanceof RestartPolicy.Decision.Restart restart) {
            instance.remember(new RestartRecord(System.currentTimeMillis(), how, restart.delayMs()));
            LOG.warn("{} {}: PID {} exited ({}) after {} ms ({}); restarting in {} ms", app.name(), instance.id(), child.pid(), how,
                    child.uptimeMs(), child.wentOnline() ? "ready for " + child.onlineForMs() + " ms" : "never ready", restart.delayMs());
        } else if (decision instanceof RestartPolicy.Decision.GiveUp giveUp) {
            LOG.error("{} {}: PID {} exited ({}); errored: {}", app.name(), instance.id(), child.pid(), how, giveUp.why());
        } else if (decision instanceof RestartPolicy.Decision.StayStopped stay) {
            LOG.info("{} {}: PID {} exited ({}); not restarted: {}", app.name(), instance.id(), child.pid(), how, stay.why());
        } else {
            throw new IllegalStateException("no log line for restart decision " + decision);
        }
    }

    @Override
    public void scheduleRestart(Action.ScheduleRestart<InstanceHandle> action) {
        supervisor.timer().schedule(new Event.RestartDue(instance, action.waiting()), action.delayMs());
    }

    @Override
    public void countRestart(Action.CountRestart<InstanceHandle> action) {
        instance.countRestart();
    }

    @Override
    public void forget(Action.Forget<InstanceHandle> action) {
        supervisor.remove(instance);
    }

    @Override
    public void reloadFailed(Action.ReloadFailed<InstanceHandle> action) {
        supervisor.apply(app, new ReloadState.ReplacementFailed<>(instance, action.why()));
    }

    /**
     * Carries out a reload's step: each {@link ReloadState.Effect} becomes an input of its
     * instance, on the supervisor's queue (or, for an instance deleted meanwhile, the reload hears
     * there is nothing to replace); and the end of a reload is logged.
     */
    static void carryOut(Supervisor supervisor, ManagedApp app, ReloadState<Instance, InstanceHandle> before,
            ReloadState.Step<Instance, InstanceHandle> step) {
        for (ReloadState.Effect<Instance, InstanceHandle> effect : step.effects()) {
            if (effect instanceof ReloadState.Replace<Instance, InstanceHandle> replace) {
                Instance instance = replace.instance();
                if (app.instances().contains(instance)) {
                    supervisor.apply(instance, new Input.ReloadBegin<>());
                } else {
                    supervisor.apply(app, new ReloadState.NothingToReplace<>(instance));
                }
            } else if (effect instanceof ReloadState.CancelReplacement<Instance, InstanceHandle> cancel) {
                if (app.instances().contains(cancel.instance())) {
                    supervisor.apply(cancel.instance(), new Input.ReloadAbort<>(cancel.why()));
                }
            } else {
                throw new IllegalStateException("no carrying out of reload effect " + effect);
            }
        }
        if (before instanceof ReloadState.InProgress && step.state() instanceof ReloadState.Done<Instance, InstanceHandle> done) {
            LOG.info("{}: reload done, {} instance(s) replaced", app.name(), done.replaced());
        } else if (before instanceof ReloadState.InProgress && step.state() instanceof ReloadState.Failed) {
            LOG.error("{}", app.reloadFailure());
        }
    }
}
