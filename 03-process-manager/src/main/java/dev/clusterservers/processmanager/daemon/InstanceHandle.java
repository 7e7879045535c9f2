package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.AppMetric;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's handle to one operating-system process of an instance (lesson 01 calls its
 * counterpart {@code WorkerHandle}, lesson 02 {@code ChildHandle}). An instance outlives its
 * processes: a restart or a reload gives it a new process under the same id.
 */
final class InstanceHandle {
    private final Instance instance;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final long startedEpochMs = System.currentTimeMillis();
    private final String user;
    /** When SIGKILL is due if it has not exited; null until a graceful stop was sent. */
    private Long killAtNanos;
    /** When it went online; null until then. Whether it is online is its instance's {@code Lifecycle}. */
    private Long onlineSinceNanos;
    private String jvm;
    private List<AppMetric> metrics = List.of();

    InstanceHandle(Instance instance, Process process) {
        this.instance = instance;
        this.process = process;
        this.user = process.info().user().orElse(System.getProperty("user.name"));
    }

    Instance instance() {
        return instance;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    String user() {
        return user;
    }

    long uptimeMs() {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    long startedEpochMs() {
        return startedEpochMs;
    }

    void setJvm(String jvm) {
        this.jvm = jvm;
    }

    /** As the agent reported it; null until it said hello. */
    String jvm() {
        return jvm;
    }

    /** The app's own metrics, as it last published them; they belong to this process and end with it. */
    List<AppMetric> metrics() {
        return metrics;
    }

    void setMetrics(List<AppMetric> metrics) {
        this.metrics = List.copyOf(metrics);
    }

    /** Called by the action that takes it online: from now on {@code min_uptime} is measured. */
    void markOnline() {
        if (onlineSinceNanos == null) {
            onlineSinceNanos = System.nanoTime();
        }
    }

    boolean wentOnline() {
        return onlineSinceNanos != null;
    }

    /** How long it has been online; 0 if it never was. The clock {@code min_uptime} is measured on. */
    long onlineForMs() {
        return onlineSinceNanos == null ? 0 : Duration.ofNanos(System.nanoTime() - onlineSinceNanos).toMillis();
    }

    /**
     * Graceful: SIGTERM now, SIGKILL if it is still there after {@code killTimeoutMs}. Sent
     * through the {@link ProcessHandle}, not {@link Process#destroy()}: that one also closes
     * our ends of the child's stdout and stderr, and whatever the app logs while it drains
     * would be lost.
     */
    void stop(long killTimeoutMs) {
        if (killAtNanos == null) {
            killAtNanos = System.nanoTime() + Duration.ofMillis(killTimeoutMs).toNanos();
            process.toHandle().destroy();
        }
    }

    boolean killIsDue() {
        return killAtNanos != null && process.isAlive() && System.nanoTime() - killAtNanos > 0;
    }

    /** Forced: SIGKILL. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    @Override
    public String toString() {
        return instance.app().name() + " " + instance.id() + " (PID " + pid() + ")";
    }
}
