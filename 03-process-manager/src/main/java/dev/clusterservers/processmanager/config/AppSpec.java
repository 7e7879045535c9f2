package dev.clusterservers.processmanager.config;

import java.util.List;
import java.util.Map;

/**
 * One app of an ecosystem file, checked and complete: every default filled in, every path
 * absolute, every duration in milliseconds. This is what the CLI sends the daemon, so it is
 * plain data that Jackson writes and reads as it is.
 *
 * @param instances          how many processes; already resolved from "max", 0 or a negative number
 * @param port               the port the app serves; in cluster mode jpm holds it and passes it as {@code PORT}
 * @param expBackoffRestartDelayMs first delay of the exponential back-off; 0 turns it off for {@code restart_delay}
 * @param maxMemoryRestartBytes resident memory above which an instance is reloaded; 0 = no limit
 * @param listen             in cluster mode, how the instances share the port (see {@link Listen})
 */
public record AppSpec(
        String name,
        Script script,
        List<String> args,
        List<String> jvmArgs,
        Map<String, String> env,
        String cwd,
        int instances,
        ExecMode execMode,
        int port,
        boolean autorestart,
        int maxRestarts,
        long minUptimeMs,
        long restartDelayMs,
        long expBackoffRestartDelayMs,
        long maxMemoryRestartBytes,
        long memoryCheckIntervalMs,
        long killTimeoutMs,
        boolean waitReady,
        long listenTimeoutMs,
        Listen listen) {

    public static final int NO_PORT = -1;

    public AppSpec {
        args = List.copyOf(args);
        jvmArgs = List.copyOf(jvmArgs);
        env = Map.copyOf(env);
    }

    /** True when the daemon holds a listening socket that every instance inherits. */
    public boolean sharesListener() {
        return execMode == ExecMode.CLUSTER && listen == Listen.SHARED;
    }

    public boolean hasPort() {
        return port != NO_PORT;
    }

    /** The same app with another instance count, as {@code jpm scale} leaves it. */
    public AppSpec withInstances(int count) {
        return new AppSpec(name, script, args, jvmArgs, env, cwd, count, execMode, port, autorestart, maxRestarts,
                minUptimeMs, restartDelayMs, expBackoffRestartDelayMs, maxMemoryRestartBytes, memoryCheckIntervalMs,
                killTimeoutMs, waitReady, listenTimeoutMs, listen);
    }

    /** The same app on the port jpm actually reserved (when the file asked for port 0). */
    public AppSpec withPort(int actualPort) {
        return new AppSpec(name, script, args, jvmArgs, env, cwd, instances, execMode, actualPort, autorestart, maxRestarts,
                minUptimeMs, restartDelayMs, expBackoffRestartDelayMs, maxMemoryRestartBytes, memoryCheckIntervalMs,
                killTimeoutMs, waitReady, listenTimeoutMs, listen);
    }
}
