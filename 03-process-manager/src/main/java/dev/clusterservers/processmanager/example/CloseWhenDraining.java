package dev.clusterservers.processmanager.example;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A graceful stop that keep-alive clients do not notice: while the server drains, a request
 * that arrives on a connection it already had is still answered, with
 * {@code Connection: close}, so the client's next request opens a new connection, which
 * the kernel gives to a listener that is not closing.
 *
 * <p>Jetty's own {@link GracefulHandler} answers such a request with 503. With
 * {@code Connection: close} per request that never happens (no connection outlives its
 * request); with keep-alive, every pooled connection to the draining instance would turn
 * one request into a 503 during a {@code jpm reload}. Requests are still counted, and the
 * connector waits for every connection to close, so stopping still waits for them.
 */
final class CloseWhenDraining extends GracefulHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (isShutdown()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Handler next = getHandler();
            return next != null && next.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
