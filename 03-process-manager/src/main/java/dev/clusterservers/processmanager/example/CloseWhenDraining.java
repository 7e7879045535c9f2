package dev.clusterservers.processmanager.example;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A graceful stop that keep-alive clients do not notice: while the server drains, a request
 * that arrives on a connection it already had is still answered, with
 * {@code Connection: close}, so the client's next request opens a new connection, which
 * the kernel gives to an instance that still accepts; and a kept-alive connection that stays
 * quiet is closed, so an idle client does not hold the drain until the stop timeout.
 *
 * <p>Jetty's own {@link GracefulHandler} answers such a request with 503. With
 * {@code Connection: close} per request that never happens (no connection outlives its
 * request); with keep-alive, every pooled connection to the draining instance would turn
 * one request into a 503 during a {@code jpm reload}.
 *
 * <p>Which connections are quiet: none with a request in handling (a slow request can be
 * silent for seconds), and none with any traffic in the last {@link #QUIET_MS}. Closing a
 * kept-alive connection at the very moment its client sends on it loses that request, a race
 * no server can rule out (HTTP lets a client retry an idempotent request for this reason), so
 * only connections whose client has been silent a while are closed, not every one that is
 * between two requests. The drain ends when no connection is left (or at the stop timeout).
 */
final class CloseWhenDraining extends GracefulHandler {
    /** How long a kept-alive connection must have been silent, while draining, to be closed. */
    static final long QUIET_MS = 500;
    /** How often the drain looks for quiet connections. */
    static final long CHECK_MS = 50;

    /** Requests in handling per connection. */
    private final Map<Connection, Integer> handling = new ConcurrentHashMap<>();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        handling.merge(connection, 1, Integer::sum);
        Callback done = Callback.from(callback, () -> finished(connection));
        boolean handled = false;
        try {
            if (isShutdown()) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                Handler next = getHandler();
                handled = next != null && next.handle(request, response, done);
            } else {
                handled = super.handle(request, response, done);
            }
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

    /** Jetty's graceful stop: requests in flight finish (the parent), and quiet connections are closed (here). */
    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> requests = super.shutdown();
        CompletableFuture<Void> connections = new CompletableFuture<>();
        Thread closer = new Thread(() -> closeQuietConnections(connections), "close-quiet-connections");
        closer.setDaemon(true);
        closer.start();
        return CompletableFuture.allOf(requests, connections);
    }

    private void closeQuietConnections(CompletableFuture<Void> done) {
        Server server = getServer();
        while (server != null && !server.isStopped()) {
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
            if (!anyOpen) {
                break;
            }
            try {
                Thread.sleep(CHECK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        done.complete(null);
    }
}
