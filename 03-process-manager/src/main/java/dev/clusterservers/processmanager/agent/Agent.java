package dev.clusterservers.processmanager.agent;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * jpm's half inside every app it starts: a {@code -javaagent} that runs before the app's
 * {@code main}, so the app itself needs no line of cluster code.
 *
 * <p>In cluster mode it makes every TCP server socket of the app bind with
 * {@code SO_REUSEPORT} (see {@code patch/ReusePortPatch}), so N instances can all bind the
 * app's port and the kernel spreads connections among them. In every mode it opens the
 * control link to the daemon ({@link DaemonLink}): the daemon learns the instance is alive,
 * the app may say "ready" ({@link Ready}), and when the daemon dies the link's end tells the
 * app to stop, so no app outlives its manager.
 *
 * <p>These classes land on the app's class path, so they use the JDK alone. The patch needs
 * a bytecode library (ASM); it lives in a second jar, loaded by a class loader of its own
 * that the app never sees, so it cannot clash with an ASM the app brings.
 */
public final class Agent {
    /** The agent argument that turns on port sharing. */
    public static final String CLUSTER = "cluster";
    /** The jar the JVM loads with {@code -javaagent}: this package only. */
    public static final String AGENT_JAR = "jpm-agent.jar";
    /** Beside it: the patch and ASM, for the agent's private class loader. */
    public static final String PATCH_JAR = "jpm-agent-patch.jar";
    static final String PATCH_CLASS = "dev.clusterservers.processmanager.agent.patch.ReusePortPatch";

    private Agent() {
    }

    public static void premain(String args, Instrumentation instrumentation) throws Exception {
        if (CLUSTER.equals(args)) {
            installReusePortPatch(instrumentation);
        }
        DaemonLink.connectFromEnvironment();
    }

    private static void installReusePortPatch(Instrumentation instrumentation) throws Exception {
        Path agentJar = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        URL patchJar = agentJar.resolveSibling(PATCH_JAR).toUri().toURL();
        // Never closed: the patch's classes must stay loadable while the transformer runs.
        ClassLoader isolated = new URLClassLoader(new URL[] {patchJar}, ClassLoader.getPlatformClassLoader());
        Class.forName(PATCH_CLASS, true, isolated)
                .getMethod("install", Instrumentation.class)
                .invoke(null, instrumentation);
    }
}
