package dev.clusterservers.shareports.sharing;

import dev.clusterservers.plumbing.JdkChannels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;
import org.newsclub.net.unix.AFUNIXSocket;

/** The master's end of one worker's round-robin control socket. */
final class WorkerLink {
    private final int workerId;
    private final AFUNIXSocket socket;
    private boolean ended;

    WorkerLink(int workerId, AFUNIXSocket socket) {
        this.workerId = workerId;
        this.socket = socket;
    }

    int workerId() {
        return workerId;
    }

    /**
     * Sends one connection: its descriptor rides as {@code SCM_RIGHTS} on the frame's write.
     * The kernel duplicates the descriptor into the message, so the caller may close its copy
     * as soon as this returns.
     */
    synchronized void send(SocketChannel connection, ProtocolFamily family) throws IOException {
        if (ended) {
            throw new IOException("worker " + workerId + " has left the rotation");
        }
        HandoffFrame frame = HandoffFrame.connection(family, (InetSocketAddress) connection.getRemoteAddress());
        socket.setOutboundFileDescriptors(JdkChannels.fileDescriptor(connection));
        OutputStream out = socket.getOutputStream();
        out.write(frame.encode());
    }

    /** Promises the worker that no connection follows; after this, {@link #send} refuses. */
    synchronized void sendEnd() throws IOException {
        ended = true;
        socket.getOutputStream().write(HandoffFrame.end().encode());
    }
}
