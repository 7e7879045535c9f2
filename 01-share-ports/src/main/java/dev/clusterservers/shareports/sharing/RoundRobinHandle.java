package dev.clusterservers.shareports.sharing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Round-robin hand-off (Node's {@code SCHED_RR}, its default on Linux): the master alone
 * listens. It accepts each connection and sends its descriptor to the next worker over a
 * Unix domain socket ({@code SCM_RIGHTS}), then closes its own copy. {@code ss -ltnp} shows
 * only the master listening. The spread is exactly even, at the price of one extra
 * accept-and-send in the master for every new connection.
 *
 * <p>Workers join the rotation when they say hello on the control socket, and leave it
 * when they say they quit (graceful stop) or when their control socket closes (death).
 */
final class RoundRobinHandle implements PortSharing {
    /** Pending connections the kernel queues for us before refusing new ones. */
    static final int BACKLOG = 1024;
    /** How long an accepted connection may wait for a worker when none is in the rotation. */
    private static final long NO_WORKER_WAIT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger("master");
    /** A master's control folder is {@code share-ports-<master PID>-<random>} in the temp folder. */
    static final String CONTROL_DIR_PREFIX = "share-ports-";
    private static final Pattern CONTROL_DIR = Pattern.compile(Pattern.quote(CONTROL_DIR_PREFIX) + "(\\d+)-.+");
    private static final String CONTROL_SOCKET = "master.sock";

    private final List<WorkerLink> rotation = new ArrayList<>();
    private int next;
    private ServerSocketChannel listener;
    private ProtocolFamily family;
    private Path controlDir;
    private AFUNIXServerSocket control;

    @Override
    public int open(InetSocketAddress address) throws IOException {
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(address, BACKLOG);
        InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
        family = local.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;

        // The control socket lives in a directory only we can enter: whoever can connect to it
        // could ask for our connections. Its name carries our PID, so that a later master can
        // tell a folder whose master is gone (killed by SIGKILL, which runs no clean-up) and
        // remove it before making its own.
        sweepStaleControlDirs(Path.of(System.getProperty("java.io.tmpdir")));
        controlDir = Files.createTempDirectory(CONTROL_DIR_PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        control = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(controlDir.resolve(CONTROL_SOCKET)));

        daemon("rr-control", this::acceptWorkers).start();
        daemon("rr-accept", this::acceptConnections).start();
        return local.getPort();
    }

    @Override
    public List<String> workerArgs() {
        return List.of("--control", controlDir.resolve(CONTROL_SOCKET).toString());
    }

    @Override
    public Process start(ProcessBuilder worker) throws IOException {
        return worker.start();
    }

    /** Accepts connections and deals them out, one worker after the other. */
    private void acceptConnections() {
        while (listener.isOpen()) {
            try {
                SocketChannel connection = listener.accept();
                handOff(connection);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("accept failed: {}", e.toString());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void handOff(SocketChannel connection) throws InterruptedException {
        try (connection) {
            WorkerLink worker;
            while ((worker = nextWorker()) != null) {
                try {
                    worker.send(connection, family);
                    return;
                } catch (IOException e) {
                    // The worker died between its turn and now; the next one gets the connection.
                    leave(worker, "its control socket failed: " + e.getMessage());
                }
            }
            LOG.warn("no worker became ready in {} ms; closing a connection from {}",
                    NO_WORKER_WAIT_MS, remoteOf(connection));
        } catch (IOException e) {
            LOG.debug("closing a handed-off connection", e);
        }
    }

    private synchronized WorkerLink nextWorker() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NO_WORKER_WAIT_MS);
        while (rotation.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !listener.isOpen()) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        next = next % rotation.size();
        return rotation.get(next++);
    }

    /** Each worker connects here once it is ready, and says goodbye here when it stops. */
    private void acceptWorkers() {
        while (!control.isClosed()) {
            try {
                AFUNIXSocket socket = control.accept();
                daemon("rr-worker-link", () -> serve(socket)).start();
            } catch (IOException e) {
                if (!control.isClosed()) {
                    LOG.warn("control socket accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(AFUNIXSocket socket) {
        WorkerLink link = null;
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] bytes = new byte[HandoffFrame.SIZE];
            in.readFully(bytes);
            HandoffFrame hello = HandoffFrame.decode(bytes);
            if (hello.type() != HandoffFrame.Type.HELLO) {
                throw new IOException("expected a hello frame, got " + hello.type());
            }
            link = new WorkerLink(hello.workerId(), socket);
            join(link);
            in.readFully(bytes);
            HandoffFrame next = HandoffFrame.decode(bytes);
            // After its hello a worker may only say it quits. A switch expression with no
            // default: a new type of frame does not compile until it is decided here.
            boolean quits = switch (next.type()) {
                case QUIT -> true;
                case HELLO, CONNECTION, END -> false;
            };
            if (!quits) {
                throw new IOException("expected a quit frame, got " + next.type());
            }
            leave(link, "it is stopping");
            link.sendEnd();
            // Wait for the worker to close its end, so the socket is not torn down under it.
            in.read();
        } catch (EOFException e) {
            if (link != null) {
                leave(link, "its control socket closed");
            }
        } catch (IOException | IllegalArgumentException e) {
            if (link != null) {
                leave(link, e.toString());
            } else {
                LOG.warn("a worker connected to the control socket but did not say hello: {}", e.toString());
            }
        }
    }

    private synchronized void join(WorkerLink link) {
        rotation.add(link);
        notifyAll();
        LOG.debug("worker {} joined the rotation ({} in it)", link.workerId(), rotation.size());
    }

    private synchronized void leave(WorkerLink link, String why) {
        if (rotation.remove(link)) {
            LOG.debug("worker {} left the rotation: {}", link.workerId(), why);
        }
    }

    @Override
    public void stopAccepting() {
        closeQuietly(listener);
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        closeQuietly(control);
        if (controlDir != null) {
            try {
                Files.deleteIfExists(controlDir.resolve(CONTROL_SOCKET));
                Files.deleteIfExists(controlDir);
            } catch (IOException e) {
                LOG.debug("could not remove {}", controlDir, e);
            }
        }
    }

    /**
     * Removes the control folders in {@code tmp} that a master left behind when it died
     * without cleaning up (SIGKILL, a crash): ours by name and owner, and whose master PID no
     * longer runs. A folder whose PID runs belongs to a live master and stays. Returns how
     * many were removed.
     */
    static int sweepStaleControlDirs(Path tmp) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, CONTROL_DIR_PREFIX + "*")) {
            String me = System.getProperty("user.name");
            for (Path dir : entries) {
                Matcher name = CONTROL_DIR.matcher(dir.getFileName().toString());
                if (!name.matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        || !me.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName())) {
                    continue;
                }
                long masterPid = Long.parseLong(name.group(1));
                if (ProcessHandle.of(masterPid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(dir.resolve(CONTROL_SOCKET));
                Files.deleteIfExists(dir);
                LOG.info("removed {}, left behind by master PID {}, which is gone", dir, masterPid);
                removed++;
            }
        } catch (IOException | RuntimeException e) {
            // A folder we cannot remove harms nobody: ours is a new one with a random name.
            LOG.debug("could not sweep stale control folders in {}", tmp, e);
        }
        return removed;
    }

    private static String remoteOf(SocketChannel connection) {
        try {
            return String.valueOf(connection.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
