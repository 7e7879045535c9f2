package dev.clusterservers.forkserver;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.Signals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master started without a heap ceiling (plain {@code java -jar}, or {@code exec:java}
 * inside a Maven that was given none) runs itself again, in a JVM sized as
 * {@link JvmSizing#MASTER}, and this JVM only waits for it. A JVM cannot shrink its own
 * ceiling once it runs, and the default, a quarter of the machine's memory, is what a master
 * under heavy load grows into and keeps: so the short way to start the lesson is also the
 * safe one.
 *
 * <p>The two JVMs end together. Ctrl-C reaches the whole process group, the sized master
 * included, which stops itself; this launcher ignores it and waits. SIGTERM sent to the
 * launcher alone ({@code kill %1}) is passed on. The sized master's stdin is a pipe from the
 * launcher: if the launcher dies, even by SIGKILL, the kernel closes it and the master stops
 * (see {@code --launched}), so no master outlives the process its user started.
 */
final class MasterLauncher {
    private static final Logger LOG = LoggerFactory.getLogger("launcher");
    /** The sized master's hidden flag: its stdin is the launcher's pipe, whose end means "stop". */
    static final String LAUNCHED = "--launched";
    /** The exit code when the master's JVM cannot even be started. */
    static final int CANNOT_START_MASTER = 1;

    private MasterLauncher() {
    }

    /** Starts the sized master with these arguments and returns its exit code. */
    static int run(String... args) {
        List<String> masterArgs = new ArrayList<>(List.of(args));
        masterArgs.add(LAUNCHED);
        // stdout and stderr are the terminal's, as if the master had been started directly;
        // stdin stays a pipe (ProcessBuilder's default): the one thing tying the two JVMs.
        List<String> flags = new ArrayList<>(JvmSizing.MASTER);
        flags.addAll(loggingProperties());
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(ForkServer.class, flags, masterArgs))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process master;
        try {
            master = builder.start();
        } catch (IOException e) {
            LOG.error("Cannot start the master's JVM: {}", e.getMessage());
            return CANNOT_START_MASTER;
        }
        Signals.onTerminate(signal -> {
            if (signal.equals("TERM")) {
                master.toHandle().destroy();
            }
        });
        LOG.info("PID: {} was started without -Xmx: running the master in a JVM of its own with {} (PID: {})",
                ProcessHandle.current().pid(), String.join(" ", JvmSizing.MASTER), master.pid());
        try {
            return master.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            master.toHandle().destroy();
            return ExitCode.OK;
        }
    }

    /**
     * In the sized master: runs {@code action} once the launcher is gone, which the end of
     * its pipe on our stdin says, even when the launcher died by SIGKILL.
     */
    static void whenGone(Runnable action) {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // The launcher writes nothing; only the end counts.
                }
            } catch (IOException e) {
                // Also an end.
            }
            action.run();
        }, "launcher-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * The log levels set on this JVM ({@code -Dorg.slf4j.simpleLogger.log.master=debug} after
     * {@code java}, or exec:java's level), so the sized master logs as it was asked to. Only
     * levels: Maven's own JVM may hold other logger settings meant for Maven's output.
     */
    static List<String> loggingProperties() {
        List<String> flags = new ArrayList<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.equals("org.slf4j.simpleLogger.defaultLogLevel") || name.startsWith("org.slf4j.simpleLogger.log.")) {
                flags.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        flags.sort(null);
        return flags;
    }
}
