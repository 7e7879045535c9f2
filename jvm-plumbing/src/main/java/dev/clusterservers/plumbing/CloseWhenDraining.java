package dev.clusterservers.plumbing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A graceful stop that keep-alive clients do not notice, run before Jetty's own.
 *
 * <p>When the server is asked to stop, and before Jetty's graceful stop begins, this drain
 * stops accepting and closes its listener, then waits until no connection is left. Meanwhile every request that comes
 * in, on a connection the server already had, is answered as usual but with
 * {@code Connection: close}, so the client's next request opens a new connection, which goes
 * to an instance that still accepts. A kept-alive connection that stays quiet is closed, so an
 * idle client does not hold the drain until its timeout.
 *
 * <p>Why not Jetty's graceful stop alone: it answers a request on a kept-alive connection with
 * 503 ({@code GracefulHandler}), and a response that was already under way when the stop began
 * can no longer carry {@code Connection: close}, so Jetty ends it by shutting the connection's
 * output after it. The client got a whole response that said nothing of closing, sends its
 * next request on that connection and reads the end of the stream. Under load that is a few
 * requests per reload. Here the header is decided when a request's handling starts, before a
 * byte of its response is made, so every client is told in the response itself.
 *
 * <p>Which connections are quiet: none with a request in handling (a slow request can be
 * silent for seconds), and none with any traffic in the last {@link #QUIET_MS}. Closing a
 * kept-alive connection at the very moment its client sends on it loses that request, a race
 * no server can rule out (HTTP lets a client retry an idempotent request for this reason), so
 * only connections whose client has been silent a while are closed.
 *
 * <p>Plumbing, not a lesson: every server of the workshop that stops under load (01's
 * workers, 02's master, 03's example app) needs the same drain, so it is written once here.
 */
public final class CloseWhenDraining extends Handler.Wrapper {
    /** How long a kept-alive connection must have been silent, while draining, to be closed. */
    public static final long QUIET_MS = 1_000;
    /** How often the drain looks at the connections left. */
    static final long CHECK_MS = 20;

    private final Duration timeout;
    /** Requests in handling per connection. */
    private final Map<Connection, Integer> handling = new ConcurrentHashMap<>();
    private volatile boolean draining;

    private CloseWhenDraining(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Makes the drain the server's outermost handler, around the one it has (Javalin attaches
     * its own handler inside the innermost), and has it run when the server starts stopping,
     * for at most {@code timeout}. Jetty's stop then closes what is left, after waiting for
     * requests in flight at most its own stop timeout.
     */
    public static void install(Server server, Duration timeout) {
        CloseWhenDraining drain = new CloseWhenDraining(timeout);
        drain.setHandler(server.getHandler());
        server.setHandler(drain);
        // A listener of its own, not the drain: a handler installed around the drain later
        // replaces it as the server's handler, and Jetty then drops it as the server's listener
        // too (it listens to its new parent instead), so the drain would never run.
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                if (event == server) {
                    drain.drain(server);
                }
            }
        });
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        Connection connection = request.getConnectionMetaData().getConnection();
        handling.merge(connection, 1, Integer::sum);
        if (draining) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        boolean handled = false;
        try {
            handled = next.handle(request, response, Callback.from(callback, () -> finished(connection)));
            return handled;
        } finally {
            if (!handled) {
                finished(connection);
            }
        }
    }

    private void finished(Connection connection) {
        handling.computeIfPresent(connection, (c, n) -> n > 1 ? n - 1 : null);
    }

    /** Called by the server's {@code stop()} before Jetty's own graceful stop starts. */
    private void drain(Server server) {
        draining = true;
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector accepting) {
                // Not accepting first, so the acceptor threads wait instead of retrying a closed channel.
                accepting.setAccepting(false);
            }
            if (connector instanceof NetworkConnector listener) {
                // Closing the listener now, not at the end of the drain, matters with SO_REUSEPORT:
                // the kernel keeps handing an open listener its share of new connections, which
                // nobody would accept. A shared listener is only this process's copy: closing it
                // leaves the daemon's, and its queue, as they were.
                listener.close();
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closeQuietConnections(server) && System.nanoTime() - deadline < 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(CHECK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes the quiet connections; true while any connection is left. */
    private boolean closeQuietConnections(Server server) {
        boolean anyOpen = false;
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                anyOpen = true;
                boolean quiet = endPoint instanceof IdleTimeout idle && idle.getIdleFor() >= QUIET_MS;
                if (quiet && !handling.containsKey(endPoint.getConnection())) {
                    endPoint.close();
                }
            }
        }
        return anyOpen;
    }
}
