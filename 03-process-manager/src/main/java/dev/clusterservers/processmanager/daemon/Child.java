package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.protocol.AppMetric;
import java.time.Duration;
import java.util.List;

/**
 * One operating-system process of an instance. An instance outlives its processes: a
 * restart or a reload gives it a new child under the same id.
 */
final class Child {
    private final Instance instance;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final long startedEpochMs = System.currentTimeMillis();
    private final String user;
    private boolean helloReceived;
    private boolean readySignalled;
    private boolean listening;
    private boolean ready;
    private boolean discarded;
    private long killAtNanos = Long.MAX_VALUE;
    private long readyNanos;
    private String jvm;
    private List<AppMetric> metrics = List.of();

    Child(Instance instance, Process process) {
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

    void helloReceived(String jvm) {
        helloReceived = true;
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

    boolean hasSaidHello() {
        return helloReceived;
    }

    void readySignalled() {
        readySignalled = true;
    }

    boolean hasSignalledReady() {
        return readySignalled;
    }

    void listeningSignalled() {
        listening = true;
    }

    /** With a shared listener: the app's own server channel became the inherited socket. */
    boolean hasAdoptedListener() {
        return listening;
    }

    boolean isReady() {
        return ready;
    }

    void markReady() {
        if (!ready) {
            ready = true;
            readyNanos = System.nanoTime();
        }
    }

    /** How long it has been ready; 0 if it is not. The clock {@code min_uptime} is measured on. */
    long readyForMs() {
        return ready ? Duration.ofNanos(System.nanoTime() - readyNanos).toMillis() : 0;
    }

    boolean isStopping() {
        return killAtNanos != Long.MAX_VALUE;
    }

    /**
     * Graceful: SIGTERM now, SIGKILL if it is still there after {@code killTimeoutMs}. Sent
     * through the {@link ProcessHandle}, not {@link Process#destroy()}: that one also closes
     * our ends of the child's stdout and stderr, and whatever the app logs while it drains
     * would be lost.
     */
    void stop(long killTimeoutMs) {
        if (!isStopping()) {
            killAtNanos = System.nanoTime() + Duration.ofMillis(killTimeoutMs).toNanos();
            process.toHandle().destroy();
        }
    }

    boolean killIsDue() {
        return isStopping() && process.isAlive() && System.nanoTime() - killAtNanos > 0;
    }

    /** Forced: SIGKILL. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    /** SIGKILL for a reload's replacement that never served; its exit is then logged as a replacement's, not an old process's. */
    void discard() {
        discarded = true;
        kill();
    }

    boolean wasDiscarded() {
        return discarded;
    }

    @Override
    public String toString() {
        return instance.app().name() + " " + instance.id() + " (PID " + pid() + ")";
    }
}
