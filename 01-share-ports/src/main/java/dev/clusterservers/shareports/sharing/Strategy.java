package dev.clusterservers.shareports.sharing;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The three ways to share one port between JVMs; see the module README for their costs. */
public enum Strategy {
    /** The master accepts every connection and hands it to the next worker (Node's default, SCHED_RR). */
    ROUND_ROBIN("round-robin"),
    /** The master binds; every worker inherits the listening socket and accepts on it (SCHED_NONE). */
    SHARED("shared"),
    /** Every worker binds its own socket with SO_REUSEPORT; the kernel spreads connections. */
    REUSEPORT("reuseport");

    private final String flag;

    Strategy(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    /** The master's half of this strategy. */
    public PortSharing masterSide() {
        return switch (this) {
            case ROUND_ROBIN -> new RoundRobinHandle();
            case SHARED -> new SharedHandle();
            case REUSEPORT -> new ReusePortHandle();
        };
    }

    public static Strategy fromFlag(String flag) {
        for (Strategy s : values()) {
            if (s.flag.equals(flag)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + flag + "'; expected one of " + flags());
    }

    public static String flags() {
        return Arrays.stream(values()).map(Strategy::flag).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return flag;
    }
}
