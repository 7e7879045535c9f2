package dev.clusterservers.processmanager.config;

/** PM2's two ways to run instances. */
public enum ExecMode {
    /** N instances share one port that jpm holds; the kernel spreads connections among them. */
    CLUSTER,
    /** Each instance is a plain process that binds for itself. */
    FORK;

    /** As {@code jpm list} and the ecosystem file spell it. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
