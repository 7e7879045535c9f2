package dev.clusterservers.shareports.sharing;

import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.JdkChannels;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The worker's half of each strategy, like Node's {@code child.js}: the Jetty connector
 * through which this worker receives its connections.
 */
public final class WorkerConnectors {
    private WorkerConnectors() {
    }

    /** Thrown when the worker cannot get hold of its connections; the message says why. */
    public static final class SetupException extends RuntimeException {
        private final int exitCode;

        public SetupException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** Round-robin: no listening socket; connections arrive from the master over {@code control}. */
    public static HandoffConnector roundRobin(Server server, HttpConfiguration http, Path control, int workerId) {
        if (control == null) {
            throw new SetupException("the round-robin strategy needs --control (the master passes it)", ExitCode.WORKER_SETUP_FAILED);
        }
        return new HandoffConnector(server, control, workerId, new HttpConnectionFactory(http));
    }

    /**
     * Shared: accept on the listening socket inherited as fd 0. {@link System#inheritedChannel()}
     * tells us whether fd 0 is one (and fails loudly if not, instead of Jetty's quiet fallback
     * to binding a fresh socket); we then wrap fd 0 in a plain channel of our own, because
     * closing the inherited one would also send our stdout and stderr to /dev/null.
     */
    public static ServerConnector shared(Server server, HttpConfiguration http) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        try {
            Channel inherited = System.inheritedChannel();
            if (!(inherited instanceof ServerSocketChannel listener)) {
                throw new SetupException("fd 0 is not a listening socket (it is " + inherited
                        + "): a worker of the shared strategy must be started by its master", ExitCode.WORKER_SETUP_FAILED);
            }
            ProtocolFamily family = ((InetSocketAddress) listener.getLocalAddress()).getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            connector.open(JdkChannels.adoptListeningSocket(FileDescriptor.in, family));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return connector;
    }

    /** Reuse-port: bind our own socket on the shared port; the kernel spreads connections. */
    public static ServerConnector reusePort(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setReusePort(true);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
