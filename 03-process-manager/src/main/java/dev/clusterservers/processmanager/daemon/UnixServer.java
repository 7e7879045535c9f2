package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.Home;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix-domain socket the daemon listens on, owner-only: the file is 0600 inside a 0700
 * directory, and each connection's peer credentials ({@code SO_PEERCRED}) must name the
 * daemon's own user. Each connection gets its own thread; what it reads becomes events.
 */
final class UnixServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");

    private final Path path;
    private final ServerSocketChannel server;

    private UnixServer(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    /** Binds {@code path} (removing a stale file a dead daemon left) and serves each connection. */
    static UnixServer open(Path path, String name, Consumer<SocketChannel> handler) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, Home.OWNER_ONLY_FILE);
        UnixServer unix = new UnixServer(path, server);
        Thread acceptor = new Thread(() -> unix.acceptLoop(name, handler), name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return unix;
    }

    private void acceptLoop(String name, Consumer<SocketChannel> handler) {
        String me = System.getProperty("user.name");
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
                if (!peer.user().getName().equals(me)) {
                    LOG.warn("refused a connection on {} from user {}", path.getFileName(), peer.user().getName());
                    connection.close();
                    continue;
                }
                Thread thread = new Thread(() -> handler.accept(connection), name + "-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("accept on {} failed: {}", path.getFileName(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("closing {}", path, e);
        }
    }
}
