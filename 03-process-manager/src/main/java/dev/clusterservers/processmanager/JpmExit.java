package dev.clusterservers.processmanager;

/** How {@code jpm} ends, as numbers a script can check (BSD's sysexits where one fits). */
public final class JpmExit {
    public static final int OK = 0;
    /** The daemon could not do it; the message says why. */
    public static final int FAILED = 1;
    /** A wrong flag or argument; same number picocli uses. */
    public static final int USAGE = 2;
    /** The daemon is not running, or could not be started ({@code EX_UNAVAILABLE}). */
    public static final int NO_DAEMON = 69;
    /** The ecosystem file is wrong; nothing was started ({@code EX_CONFIG}). */
    public static final int BAD_CONFIG = 78;

    private JpmExit() {
    }
}
