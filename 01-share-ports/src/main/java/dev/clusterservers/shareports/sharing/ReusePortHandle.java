package dev.clusterservers.shareports.sharing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

/**
 * SO_REUSEPORT (nginx {@code reuseport}, Node 22.12+ {@code reusePort}): every worker binds
 * its own listening socket on the same port and the kernel hashes each new connection to
 * one of them. The master binds nothing; it only checks, before starting any worker, that
 * the port is free for such a group, so that a busy port is one clear error rather than N
 * failing workers.
 */
final class ReusePortHandle implements PortSharing {
    @Override
    public int open(InetSocketAddress address) throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            probe.bind(address);
            // With port 0 the kernel picked a free port; the workers will all bind that one.
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    @Override
    public List<String> workerArgs() {
        return List.of();
    }

    @Override
    public Process start(ProcessBuilder worker) throws IOException {
        return worker.start();
    }

    /** Nothing to do: each worker closes its own socket when it stops. */
    @Override
    public void stopAccepting() {
    }

    @Override
    public void close() {
    }
}
