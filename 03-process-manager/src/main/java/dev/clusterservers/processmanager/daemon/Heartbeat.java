package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.lifecycle.Input;
import dev.clusterservers.processmanager.lifecycle.Lifecycle;
import dev.clusterservers.processmanager.proc.ProcStats;
import dev.clusterservers.processmanager.protocol.ProcessInfo.RestartRecord;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's heartbeat, every {@link Daemon#TICK_MS}: readiness that no agent message
 * announced (a port now listened on), {@code listen_timeout}, {@code kill_timeout} and
 * {@code max_memory_restart}. It only looks; what changes goes through
 * {@link Supervisor#apply} as an {@link Input}.
 */
final class Heartbeat {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");

    private final Supervisor supervisor;

    Heartbeat(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    void tick() {
        for (ManagedApp app : List.copyOf(supervisor.apps().values())) {
            for (Instance instance : List.copyOf(app.instances())) {
                InstanceHandle child = instance.current();
                if (child != null) {
                    killIfDue(child);
                    checkServing(app, instance, child);
                }
                if (instance.state() instanceof Lifecycle.Reloading<InstanceHandle> reloading) {
                    checkReplacement(app, instance, reloading.replacement());
                }
            }
            app.retiring().forEach(retiring -> killIfDue(retiring.process()));
        }
    }

    private void checkServing(ManagedApp app, Instance instance, InstanceHandle child) {
        AppSpec spec = app.spec();
        if (Lifecycle.serving(instance.state()) instanceof Lifecycle.Launching) {
            supervisor.probeListening(child);
            if (Lifecycle.serving(instance.state()) instanceof Lifecycle.Launching && child.uptimeMs() > spec.listenTimeoutMs()) {
                supervisor.apply(instance, new Input.ReadyTimeout<>(child, "PID " + child.pid() + " not ready within listen_timeout"));
            }
        }
        if (Lifecycle.serving(instance.state()) instanceof Lifecycle.Online) {
            instance.policy().onUptime(child.uptimeMs());
            checkMemory(app, instance, child);
        }
    }

    private void checkReplacement(ManagedApp app, Instance instance, InstanceHandle replacement) {
        supervisor.probeListening(replacement);
        long timeoutMs = app.spec().listenTimeoutMs();
        if (instance.state() instanceof Lifecycle.Reloading<InstanceHandle> still && still.replacement() == replacement
                && replacement.uptimeMs() > timeoutMs) {
            supervisor.apply(instance, new Input.ReadyTimeout<>(replacement, "replacement PID " + replacement.pid()
                    + " was not ready within listen_timeout (" + timeoutMs + " ms)"));
        }
    }

    private void killIfDue(InstanceHandle child) {
        if (child.killIsDue()) {
            LOG.warn("{} {}: PID {} still running after kill_timeout; SIGKILL",
                    child.instance().app().name(), child.instance().id(), child.pid());
            child.kill();
        }
    }

    /** Over {@code max_memory_restart}: a graceful reload of this one instance, PM2's answer. */
    private void checkMemory(ManagedApp app, Instance instance, InstanceHandle child) {
        long limit = app.spec().maxMemoryRestartBytes();
        if (limit <= 0 || app.isReloading() || !instance.memoryCheckDue(app.spec().memoryCheckIntervalMs())) {
            return;
        }
        long resident = ProcStats.residentBytes(child.pid());
        if (resident > limit) {
            LOG.warn("{} {}: PID {} uses {} MiB, over max_memory_restart ({} MiB); reloading it",
                    app.name(), instance.id(), child.pid(), resident >> 20, limit >> 20);
            instance.remember(new RestartRecord(System.currentTimeMillis(), "max_memory_restart: " + (resident >> 20) + " MiB", 0));
            supervisor.reload(app, List.of(instance));
        }
    }
}
