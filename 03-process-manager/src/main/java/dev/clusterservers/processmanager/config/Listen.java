package dev.clusterservers.processmanager.config;

/**
 * How the instances of a cluster-mode app share its port: the ecosystem key {@code listen}.
 * The difference is what a reload loses; the module README shows both under the same load.
 */
public enum Listen {
    /**
     * The daemon binds and listens once and keeps that socket for the app's life; every
     * instance inherits it, and the agent makes the app's own server channel be it. The accept
     * queue outlives every instance, so a reload or a crash resets nothing queued in it.
     */
    SHARED,
    /**
     * Every instance binds its own socket with {@code SO_REUSEPORT} and the kernel spreads new
     * connections by hash. When an instance closes its socket, Linux resets the connections
     * still queued in it (unless {@code net.ipv4.tcp_migrate_req=1}).
     */
    REUSEPORT;

    /** As the ecosystem file spells it. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
