package dev.clusterservers.processmanager.ports;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The daemon's hold on a cluster app's port with {@code "listen": "reuseport"}: a TCP socket bound with {@code SO_REUSEPORT}
 * that never listens. Bound, it keeps any other program (or a second jpm app) off the port,
 * even at a moment when no instance runs; not listening, it is no part of the kernel's
 * reuse-port group, so no connection is ever queued on it. The instances bind the same port
 * with the same option (the agent sees to that) and do all the accepting.
 */
public final class PortReservation implements PortHold {
    private final SocketChannel socket;
    private final int port;

    private PortReservation(SocketChannel socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    /** Binds {@code port} on every address (0 = any free port) without listening. */
    public static PortReservation reserve(int port) throws IOException {
        SocketChannel socket = SocketChannel.open();
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            socket.bind(new InetSocketAddress(port));
            return new PortReservation(socket, ((InetSocketAddress) socket.getLocalAddress()).getPort());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }
}
