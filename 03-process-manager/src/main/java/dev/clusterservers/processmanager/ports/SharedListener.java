package dev.clusterservers.processmanager.ports;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * A cluster app's listening socket, owned by the daemon for the app's whole life
 * ({@code "listen": "shared"}, the default).
 *
 * <p>The daemon binds and listens once; every instance inherits the socket on its fd 0 at
 * spawn ({@code StdinSwap}), and its agent makes the app's own server channel be this socket
 * when the app binds the port. All instances then accept from one accept queue, and the
 * daemon's copy keeps that queue open while instances come and go: a connection the kernel
 * has queued waits for the next {@code accept()} of any instance, it is never reset. This is
 * what nginx's master, HAProxy's {@code expose-fd listeners} and systemd's socket activation
 * do. The daemon itself never accepts.
 */
public final class SharedListener implements PortHold {
    /** Queued connections the kernel keeps while no instance accepts (capped by {@code net.core.somaxconn}). */
    static final int BACKLOG = 4096;

    private final ServerSocketChannel socket;
    private final int port;

    private SharedListener(ServerSocketChannel socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    /** Binds {@code port} on every address (0 = any free port) and listens. */
    static SharedListener listen(int port) throws IOException {
        ServerSocketChannel socket = ServerSocketChannel.open();
        try {
            socket.bind(new InetSocketAddress(port), BACKLOG);
            return new SharedListener(socket, ((InetSocketAddress) socket.getLocalAddress()).getPort());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** What each instance inherits on its fd 0. */
    @Override
    public ServerSocketChannel socket() {
        return socket;
    }

    @Override
    public int port() {
        return port;
    }
}
