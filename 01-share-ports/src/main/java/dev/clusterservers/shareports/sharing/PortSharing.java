package dev.clusterservers.shareports.sharing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The master's half of one way to share a port, like Node's {@code round_robin_handle.js}
 * and {@code shared_handle.js}. The worker's half is in {@link WorkerConnectors}.
 */
public interface PortSharing extends AutoCloseable {
    /** Binds whatever this strategy binds in the master; returns the port the cluster serves. */
    int open(InetSocketAddress address) throws IOException;

    /** Extra command-line arguments a worker needs to find its connections. */
    List<String> workerArgs();

    /** Starts one worker process, passing it what it must inherit. */
    Process start(ProcessBuilder worker) throws IOException;

    /** First step of a graceful stop: take no new connections; the workers finish theirs. */
    void stopAccepting();

    /** Releases everything this strategy holds in the master. */
    @Override
    void close();
}
