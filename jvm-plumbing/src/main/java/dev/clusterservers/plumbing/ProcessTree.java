package dev.clusterservers.plumbing;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything a test or a benchmark started below one process, stopped so that nothing
 * outlives it. {@link #stop} asks first (SIGTERM to the root, which stops its own children
 * as a learner's Ctrl-C would), then SIGKILLs the root and every process ever seen below it:
 * a worker that was replaced, or orphaned by a master that died, is no longer below it. A
 * shutdown hook does the same if this JVM exits first (a JMH fork stopped, a test killed).
 */
public final class ProcessTree {
    private final ProcessHandle root;
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private final Thread onJvmExit = new Thread(this::kill, "process-tree-cleanup");

    public ProcessTree(ProcessHandle root) {
        this.root = root;
        Runtime.getRuntime().addShutdownHook(onJvmExit);
    }

    /** Remembers every process below the root now, and these pids (e.g. the ones its log announced). */
    public void see(Collection<Long> pids) {
        root.descendants().forEach(child -> seen.add(child.pid()));
        seen.addAll(pids);
    }

    /** Every pid seen so far below the root, including ones that have exited. */
    public Set<Long> seen() {
        see(Set.of());
        return Set.copyOf(seen);
    }

    /** SIGTERM to the root and up to {@code grace} for it to exit; then {@link #kill()}. */
    public void stop(Duration grace) {
        see(Set.of());
        if (root.isAlive()) {
            root.destroy();
            try {
                root.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // It did not stop in time: killed below.
            }
        }
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(onJvmExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
    }

    /** SIGKILL to the root and everything ever seen below it; safe to call twice. */
    public void kill() {
        see(Set.of());
        root.destroyForcibly();
        for (long pid : seen) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
