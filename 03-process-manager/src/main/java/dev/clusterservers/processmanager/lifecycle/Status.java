package dev.clusterservers.processmanager.lifecycle;

/** An instance's status, in PM2's words. */
public enum Status {
    /** Started, not yet ready (not listening, or no {@code Ready.signal()} yet). */
    LAUNCHING("launching"),
    ONLINE("online"),
    /** Asked to stop; waiting for it to exit (SIGKILL after {@code kill_timeout}). */
    STOPPING("stopping"),
    STOPPED("stopped"),
    /** Crashed; will start again when its back-off delay ends. */
    WAITING_RESTART("waiting restart"),
    /** Crashed too often too soon: left alone until someone restarts it. */
    ERRORED("errored");

    private final String word;

    Status(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
