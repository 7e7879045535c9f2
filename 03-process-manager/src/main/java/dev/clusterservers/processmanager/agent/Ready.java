package dev.clusterservers.processmanager.agent;

import java.io.IOException;

/**
 * PM2's {@code process.send('ready')} for Java: an app started with {@code "wait_ready": true}
 * calls {@code Ready.signal()} once it can serve, and only then does {@code jpm reload}
 * stop the instance it replaces. Outside jpm the call does nothing.
 *
 * <p>The class is on the app's class path whenever jpm runs it (the agent puts it there), so
 * an app may call it by reflection and need no compile-time dependency on jpm:
 * {@code Class.forName("dev.clusterservers.processmanager.agent.Ready").getMethod("signal").invoke(null)}.
 */
public final class Ready {
    private Ready() {
    }

    public static void signal() {
        try {
            DaemonLink.send("{\"type\":\"ready\"}");
        } catch (IOException e) {
            System.err.println("[jpm-agent] could not tell the daemon this instance is ready: " + e);
        }
    }
}
