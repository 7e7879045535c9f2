package dev.clusterservers.shareports.sharing;

import dev.clusterservers.plumbing.JdkChannels;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty connector with no listening socket: it serves connections the master accepted
 * and handed over, the worker side of round-robin (Node's {@code SCHED_RR}).
 *
 * <p>Jetty's own {@code ServerConnector} insists on a listening channel, so this one keeps
 * only the part that matters once a connection exists: a {@link SelectorManager} that
 * wraps each channel in an endpoint and an HTTP connection. A thread reads hand-off frames
 * from the master's control socket; each carries one connection's descriptor, which
 * becomes an ordinary JDK {@link SocketChannel} through {@link JdkChannels}.
 */
public final class HandoffConnector extends AbstractConnector {
    private static final Logger LOG = LoggerFactory.getLogger("worker");
    /** How long a quitting worker waits for the master to stop sending it connections. */
    private static final long QUIT_ACK_TIMEOUT_MS = 2_000;

    private final Path controlSocket;
    private final int workerId;
    private final SelectorManager selectors;
    private final CountDownLatch endReceived = new CountDownLatch(1);
    private final AtomicBoolean quitSent = new AtomicBoolean();
    private volatile AFUNIXSocket control;
    private volatile Thread receiver;
    private volatile Runnable onMasterGone = () -> { };

    public HandoffConnector(Server server, Path controlSocket, int workerId, ConnectionFactory... factories) {
        super(server, null, null, null, 0, factories);
        this.controlSocket = controlSocket;
        this.workerId = workerId;
        this.selectors = new HandedOffConnections();
        installBean(selectors, true);
    }

    /** What to do when the master closes the control socket (it died, or is gone). */
    public void onMasterGone(Runnable action) {
        this.onMasterGone = action;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        control = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(controlSocket));
        control.ensureAncillaryReceiveBufferSize(128);
        send(HandoffFrame.hello(workerId));
        receiver = new Thread(this::receive, "handoff-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * Graceful stop, first step: tell the master to send no more connections and wait until
     * it says so, so that no connection is left in flight between the two. Jetty then waits
     * for the requests in progress, and {@link #doStop()} closes the control socket.
     */
    @Override
    public CompletableFuture<Void> shutdown() {
        quitRotation();
        return super.shutdown();
    }

    @Override
    protected void doStop() throws Exception {
        quitRotation();
        control.close();
        super.doStop();
    }

    private void quitRotation() {
        if (quitSent.getAndSet(true) || control.isClosed()) {
            return;
        }
        try {
            send(HandoffFrame.quit());
            if (!endReceived.await(QUIT_ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("the master did not acknowledge the quit in {} ms", QUIT_ACK_TIMEOUT_MS);
            }
        } catch (IOException e) {
            LOG.debug("control socket already closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void send(HandoffFrame frame) throws IOException {
        OutputStream out = control.getOutputStream();
        out.write(frame.encode());
    }

    private void receive() {
        byte[] bytes = new byte[HandoffFrame.SIZE];
        try {
            DataInputStream in = new DataInputStream(control.getInputStream());
            while (true) {
                in.readFully(bytes);
                FileDescriptor[] fds = control.getReceivedFileDescriptors();
                HandoffFrame frame = HandoffFrame.decode(bytes);
                // A switch expression with no default: a new type of frame does not compile until handled here.
                boolean more = switch (frame.type()) {
                    case CONNECTION -> {
                        accept(frame, fds);
                        yield true;
                    }
                    case END -> false;
                    case HELLO, QUIT -> throw new IllegalArgumentException(
                            "the master sent a " + frame.type() + " frame, which only a worker sends");
                };
                if (!more) {
                    endReceived.countDown();
                    return;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            if (isRunning() && !(e instanceof SocketException && control.isClosed())) {
                // EOF is the expected way to learn it (a master killed by SIGKILL says nothing
                // first): say so in the worker's words, not as an exception's class name.
                String why = e instanceof EOFException ? "it closed the control socket" : e.getMessage();
                LOG.info("Worker PID: {} lost its master: {}; stopping", ProcessHandle.current().pid(), why);
                onMasterGone.run();
            }
        }
    }

    private void accept(HandoffFrame frame, FileDescriptor[] fds) throws IOException {
        if (fds == null || fds.length != 1) {
            throw new IOException("a connection frame arrived with " + (fds == null ? 0 : fds.length) + " descriptors");
        }
        SocketChannel channel = JdkChannels.adoptConnectedSocket(fds[0], frame.family(), frame.remote());
        channel.configureBlocking(false);
        // Small HTTP responses should leave at once, not wait for Nagle's algorithm.
        channel.socket().setTcpNoDelay(true);
        selectors.accept(channel);
    }

    @Override
    protected void accept(int acceptorID) {
        throw new UnsupportedOperationException("a hand-off connector has no acceptor threads");
    }

    @Override
    public Object getTransport() {
        return control;
    }

    /** Turns each handed-off channel into an endpoint and an HTTP connection, as ServerConnector does. */
    private final class HandedOffConnections extends SelectorManager {
        HandedOffConnections() {
            super(HandoffConnector.this.getExecutor(), HandoffConnector.this.getScheduler(), 1);
        }

        @Override
        protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
            SocketChannelEndPoint endPoint = new SocketChannelEndPoint((SocketChannel) channel, selector, key, getScheduler());
            endPoint.setIdleTimeout(getIdleTimeout());
            return endPoint;
        }

        @Override
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) {
            return getDefaultConnectionFactory().newConnection(HandoffConnector.this, endPoint);
        }

        @Override
        protected void endPointOpened(EndPoint endPoint) {
            super.endPointOpened(endPoint);
            onEndPointOpened(endPoint);
        }

        @Override
        protected void endPointClosed(EndPoint endPoint) {
            onEndPointClosed(endPoint);
            super.endPointClosed(endPoint);
        }
    }
}
