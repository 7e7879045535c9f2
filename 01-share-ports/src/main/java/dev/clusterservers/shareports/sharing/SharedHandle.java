package dev.clusterservers.shareports.sharing;

import dev.clusterservers.plumbing.StdinSwap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

/**
 * Shared listener (Node's {@code SCHED_NONE}, gunicorn, nginx): the master binds and
 * listens but never accepts; each worker inherits the listening socket as its fd 0 and
 * accepts on it. The kernel gives each new connection to whichever worker is waiting in
 * {@code accept()}. {@code ss -ltnp} shows one socket held by the master and every worker.
 */
final class SharedHandle implements PortSharing {
    private ServerSocketChannel listener;

    @Override
    public int open(InetSocketAddress address) throws IOException {
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(address, RoundRobinHandle.BACKLOG);
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    @Override
    public List<String> workerArgs() {
        return List.of();
    }

    @Override
    public Process start(ProcessBuilder worker) throws IOException {
        if (listener == null || !listener.isOpen()) {
            throw new IOException("the shared listening socket is closed");
        }
        return StdinSwap.startWithStdin(listener, worker.redirectInput(ProcessBuilder.Redirect.INHERIT)::start);
    }

    /**
     * Closing the master's copy does not close the socket: each worker holds its own
     * descriptor of it, and the socket lives until the last one closes.
     */
    @Override
    public void stopAccepting() {
        close();
    }

    @Override
    public void close() {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            // Closing our copy of a listening socket has nothing left to report.
        }
    }
}
