package dev.clusterservers.shareports.visits;

/**
 * Where the visit counter of {@code GET /visits} lives: the one piece of state in the
 * worker's app. Two stores, one file each: {@link MemoryVisitStore} (this JVM's heap) and
 * {@link RedisVisitStore} (one Redis that every worker shares). {@link StoreChoice} turns
 * the {@code --store} flag into one of them.
 */
public interface VisitStore extends AutoCloseable {
    /**
     * Counts one more visit of {@code session} and returns how many visits of it this store
     * has counted, this one included.
     *
     * @throws StoreUnavailableException when the store cannot be reached right now
     */
    long countVisit(String session);

    /** Where the counts live, as the {@code --store} flag names it: {@code memory} or {@code redis://host:port}. */
    String describe();

    /** Releases what the store holds (connections); the counts it holds in memory are gone. */
    @Override
    void close();
}
