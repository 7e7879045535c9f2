package dev.clusterservers.plumbing;

/** How the master and its workers end, as numbers a shell script or a test can check. */
public final class ExitCode {
    /** Stopped on request (SIGTERM, Ctrl-C) after draining. */
    public static final int OK = 0;
    /** A flag was wrong; the message says which. Same number picocli uses. */
    public static final int USAGE = 2;
    /** The port could not be bound: in use, or not allowed. */
    public static final int PORT_UNAVAILABLE = 3;
    /** A worker could not set itself up (no inherited socket, no master to talk to). */
    public static final int WORKER_SETUP_FAILED = 4;

    private ExitCode() {
    }

    /**
     * Describes a child's exit value as a person would: the JDK reports a child killed by
     * signal N as exit value 128 + N, the shell's convention.
     */
    public static String describe(int exitValue) {
        if (exitValue > 128 && exitValue <= 128 + 64) {
            int signal = exitValue - 128;
            return "signal " + signal + signalName(signal);
        }
        return "exit code " + exitValue;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }
}
