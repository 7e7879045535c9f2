package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.processmanager.Home;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix-domain socket the daemon listens on, owner-only: the file is 0600 inside a 0700
 * directory, and each connection's peer credentials ({@code SO_PEERCRED}) must name the
 * daemon's own user. Each connection gets its own thread, at most {@code maxThreads} at once:
 * a connection over the cap is handed to {@code refuse} (which may say why) and closed, and
 * the refusals are logged at most once per {@link #REFUSALS_LOGGED_EVERY}, with their count,
 * so that a flood of clients cannot flood the log either.
 */
final class UnixServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("daemon");
    static final Duration REFUSALS_LOGGED_EVERY = Duration.ofSeconds(10);

    private final Path path;
    private final ServerSocketChannel server;
    private final int maxThreads;
    private final Semaphore threads;
    private long refused;
    private long lastRefusalLoggedNanos;

    private UnixServer(Path path, ServerSocketChannel server, int maxThreads) {
        this.path = path;
        this.server = server;
        this.maxThreads = maxThreads;
        this.threads = new Semaphore(maxThreads);
    }

    /** Binds {@code path} (removing a stale file a dead daemon left) and serves each connection. */
    static UnixServer open(Path path, String name, int maxThreads, Consumer<SocketChannel> handler,
                           Consumer<SocketChannel> refuse) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, Home.OWNER_ONLY_FILE);
        UnixServer unix = new UnixServer(path, server, maxThreads);
        Thread acceptor = new Thread(() -> unix.acceptLoop(name, handler, refuse), name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return unix;
    }

    private void acceptLoop(String name, Consumer<SocketChannel> handler, Consumer<SocketChannel> refuse) {
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
                if (!threads.tryAcquire()) {
                    refuse(connection, refuse);
                    continue;
                }
                Thread thread = new Thread(() -> {
                    try {
                        handler.accept(connection);
                    } finally {
                        threads.release();
                    }
                }, name + "-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("accept on {} failed: {}", path.getFileName(), e.toString());
                }
            }
        }
    }

    private void refuse(SocketChannel connection, Consumer<SocketChannel> refuse) throws IOException {
        try (connection) {
            refuse.accept(connection);
        }
        refused++;
        long now = System.nanoTime();
        if (lastRefusalLoggedNanos == 0 || now - lastRefusalLoggedNanos >= REFUSALS_LOGGED_EVERY.toNanos()) {
            LOG.warn("{}: refused {} connection(s) since the last such line: {} already being served (the cap)",
                    path.getFileName(), refused, maxThreads);
            refused = 0;
            lastRefusalLoggedNanos = now;
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
