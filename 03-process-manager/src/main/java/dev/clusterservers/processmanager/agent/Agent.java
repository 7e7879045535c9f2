package dev.clusterservers.processmanager.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.SocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.function.BiFunction;

/**
 * jpm's half inside every app it starts: a {@code -javaagent} that runs before the app's
 * {@code main}, so the app itself needs no line of cluster code.
 *
 * <p>In cluster mode it decides how the app's server socket binds the app's port. With
 * {@code "listen": "shared"} (the default) it does not bind at all: the app's channel becomes
 * the listening socket the daemon owns and this process inherited on fd 0 (see
 * {@code patch/SharedListenerPatch}). With {@code "listen": "reuseport"} every server socket
 * binds with {@code SO_REUSEPORT} (see {@code patch/ReusePortPatch}), so N instances can all
 * bind the port and the kernel spreads connections among them. In every mode it opens the
 * control link to the daemon ({@link DaemonLink}): the daemon learns the instance is alive,
 * the app may say "ready" ({@link Ready}), and when the daemon dies the link's end tells the
 * app to stop, so no app outlives its manager.
 *
 * <p>These classes land on the app's class path, so they use the JDK alone. The patch needs
 * a bytecode library (ASM) and native calls (JNA); they live in a second jar, loaded by a
 * class loader of its own that the app never sees, so they cannot clash with an ASM or a JNA
 * the app brings.
 */
public final class Agent {
    /** The agent argument that turns on port sharing with {@code SO_REUSEPORT}. */
    public static final String CLUSTER = "cluster";
    /** The agent argument, {@code shared:PORT}, that makes a bind of PORT adopt the inherited listener. */
    public static final String SHARED = "shared";
    /** The jar the JVM loads with {@code -javaagent}: this package only. */
    public static final String AGENT_JAR = "jpm-agent.jar";
    /** Beside it: the patch and ASM, for the agent's private class loader. */
    public static final String PATCH_JAR = "jpm-agent-patch.jar";
    private static final String SOURCE_LAUNCHER_PACKAGE = "com.sun.tools.javac.launcher.";
    private static final String SOURCE_LAUNCHER = "jdk.compiler/" + SOURCE_LAUNCHER_PACKAGE;
    static final String REUSE_PORT_PATCH = "dev.clusterservers.processmanager.agent.patch.ReusePortPatch";
    static final String SHARED_LISTENER_PATCH = "dev.clusterservers.processmanager.agent.patch.SharedListenerPatch";


    private Agent() {
    }

    public static void premain(String args, Instrumentation instrumentation) throws Exception {
        if (CLUSTER.equals(args)) {
            patchClass(REUSE_PORT_PATCH).getMethod("install", Instrumentation.class).invoke(null, instrumentation);
        } else if (args != null && args.startsWith(SHARED + ":")) {
            int port = Integer.parseInt(args.substring(SHARED.length() + 1));
            Runnable adopted = DaemonLink::listening;
            @SuppressWarnings("unchecked")
            BiFunction<Integer, SocketAddress, SocketAddress> hook = (BiFunction<Integer, SocketAddress, SocketAddress>)
                    patchClass(SHARED_LISTENER_PATCH).getMethod("install", Instrumentation.class, int.class, Runnable.class)
                            .invoke(null, instrumentation, port, adopted);
            BindHook.install(hook);
        }
        if (isSourceFileLaunch()) {
            helloWhenTheSourceFileIsCompiled(instrumentation);
        } else {
            DaemonLink.connectFromEnvironment();
        }
    }

    /** {@code java App.java}: the JDK's source launcher compiles the file after this agent ran. */
    private static boolean isSourceFileLaunch() {
        return System.getProperty("sun.java.command", "").startsWith(SOURCE_LAUNCHER);
    }

    /**
     * The daemon counts {@code min_uptime} from the agent's hello (for an app with no port), so
     * the hello must mean "the app's code runs". A source file is compiled first, which takes
     * seconds on a busy machine: the hello waits until the launcher defines the app's first
     * class, in its in-memory class loader. On another thread, since a transformer runs inside
     * class loading.
     */
    private static void helloWhenTheSourceFileIsCompiled(Instrumentation instrumentation) {
        instrumentation.addTransformer(new ClassFileTransformer() {
            private boolean done;

            @Override
            public synchronized byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                                 ProtectionDomain domain, byte[] classfile) {
                if (!done && loader != null && loader.getClass().getName().startsWith(SOURCE_LAUNCHER_PACKAGE)) {
                    done = true;
                    instrumentation.removeTransformer(this);
                    Thread hello = new Thread(DaemonLink::connectFromEnvironment, "jpm-daemon-hello");
                    hello.setDaemon(true);
                    hello.start();
                }
                return null;
            }
        });
    }

    /** A patch class, from a class loader of its own. */
    private static Class<?> patchClass(String name) throws Exception {
        URL patchJar = besideThisJar(PATCH_JAR).toUri().toURL();
        // Never closed: the patch's classes must stay loadable while the app runs.
        ClassLoader isolated = new URLClassLoader(new URL[] {patchJar}, ClassLoader.getPlatformClassLoader());
        return Class.forName(name, true, isolated);
    }

    private static Path besideThisJar(String name) throws Exception {
        return Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolveSibling(name);
    }
}
