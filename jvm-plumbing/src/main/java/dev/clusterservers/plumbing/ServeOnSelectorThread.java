package dev.clusterservers.plumbing;

import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests that never block on the thread that read them, as a Node worker
 * answers every request; hands the others to the server's pool, as Jetty does by default.
 *
 * <p>Jetty asks the server's handler whether it may block. A servlet (Javalin is one) says it
 * may, so by default Jetty's selector thread, having read a request, wakes a pool thread to
 * handle it and goes back to selecting: a futex wake-up and a context switch per request or
 * two, paid again in the scheduler when several worker JVMs and the client share the cores.
 * This handler tells Jetty it never blocks, so the selector thread runs it; it then handles
 * inline only the requests {@code neverBlocks} accepts (a route that computes its answer from
 * memory) and passes every other one (a sleep, a call to Redis, a request body still on its
 * way) to the pool, so the selector is never held by a request that waits.
 *
 * <p>What an inline request must not do: wait. Its answer has to fit Jetty's output buffer
 * (the routes here answer a few dozen bytes, and Jetty completes the response without
 * blocking); a client that stops reading then costs only its own connection.
 */
public final class ServeOnSelectorThread extends Handler.Wrapper {
    private final Predicate<Request> neverBlocks;

    private ServeOnSelectorThread(Handler next, Predicate<Request> neverBlocks) {
        super(next);
        this.neverBlocks = neverBlocks;
    }

    /**
     * Wraps the server's handler (install it after the others, before the server starts; a
     * Javalin app attaches its servlet inside the innermost wrapper, so it ends up inside).
     */
    public static void install(Server server, Predicate<Request> neverBlocks) {
        server.setHandler(new ServeOnSelectorThread(server.getHandler(), neverBlocks));
    }

    /** A GET or HEAD for one of {@code paths}, with no body: what a route answered from memory receives. */
    public static Predicate<Request> bodylessGetOf(String... paths) {
        Set<String> set = Set.of(paths);
        return request -> ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && !request.getHeaders().contains(HttpHeader.CONTENT_LENGTH)
                && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
                && set.contains(Request.getPathInContext(request));
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        if (neverBlocks.test(request)) {
            return next.handle(request, response, callback);
        }
        try {
            getServer().getThreadPool().execute(() -> handleBlocking(next, request, response, callback));
        } catch (RejectedExecutionException e) {
            // Only a pool with a bounded queue refuses; the lessons' pools queue without bound.
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "no thread free to handle this request");
        }
        return true;
    }

    /** On a pool thread, where waiting is allowed: what Jetty would have done without this handler. */
    private static void handleBlocking(Handler next, Request request, Response response, Callback callback) {
        try {
            if (!next.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            Response.writeError(request, response, callback, failure);
        }
    }
}
