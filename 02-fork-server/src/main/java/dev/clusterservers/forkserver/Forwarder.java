package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.ipc.Frames;
import dev.clusterservers.forkserver.ipc.Message;
import dev.clusterservers.forkserver.ipc.Message.Header;
import dev.clusterservers.forkserver.ipc.Message.Response;
import dev.clusterservers.forkserver.ipc.Unencodable;
import dev.clusterservers.forkserver.policy.Policy;
import dev.clusterservers.plumbing.CloseWhenDraining;
import dev.clusterservers.plumbing.JettyWithoutJmx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's HTTP side, and the owner of each request's path. Every request, whatever its
 * method and path, is turned into a {@link Message.Request}, given to one child chosen by the
 * policy, and answered with what comes back: the child's reader thread hands the response to
 * {@link #onResponse}, which completes the request's entry, which writes the answer.
 *
 * <p>The master is infrastructure, not the lesson's web app, so it is a Jetty core
 * {@link Handler}, not Javalin: no servlet request and response objects, no copy of the body
 * through a stream. No thread waits: the body is read as Jetty delivers it, and the request
 * stays open until its entry's future completes, so many requests are in flight on few threads.
 *
 * <p>It is a blocking handler in Jetty's eyes ({@link Handler.Abstract}, not {@code NonBlocking}),
 * so Jetty runs it on a pool thread as it ran Javalin, not on the selector thread: 03's example
 * app saw connections end before a status when requests were served on the selector thread
 * during the drain, a race not yet understood.
 */
final class Forwarder extends Handler.Abstract implements ChildHandle.Responses {
    private static final Logger LOG = LoggerFactory.getLogger("master");
    /** The master's Jetty threads: see {@link #createServer}. */
    static final int HTTP_THREADS = 8;
    private static final byte[] NO_BODY = new byte[0];
    /** The methods the master forwards; the children's routes decide what each path answers. */
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    /** Headers about one connection, not the message (RFC 9110 §7.6.1); Jetty sets its own. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "content-length");

    private final ProcessList processes;
    private final PendingTable pending;
    private final Policy policy;
    private final Options options;
    private final Overload overload;
    private volatile ServerConnector connector;
    private Server server;

    Forwarder(ProcessList processes, PendingTable pending, Policy policy, Options options, Overload overload) {
        this.processes = processes;
        this.pending = pending;
        this.policy = policy;
        this.options = options;
        this.overload = overload;
    }

    /**
     * Serves HTTP on a socket the master bound itself, so that a port in use is one clear
     * error before anything starts. It fails only on a bug or a broken JVM: then the master
     * ends with the cause.
     */
    void startServing(ServerSocketChannel listening) {
        try {
            server = createServer(listening);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the master's HTTP server did not start", e);
        }
    }

    /** Jetty's stop: first the drain, then its graceful stop, each bounded by --drain-timeout. */
    void stopServing() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the master's HTTP server: {}", e.toString());
        }
    }

    private Server createServer(ServerSocketChannel listening) throws IOException {
        JettyWithoutJmx.beforeJettyLoads();
        // No thread waits for a child (the answer completes the request later), so a few
        // threads parse and forward everything.
        QueuedThreadPool pool = new QueuedThreadPool(HTTP_THREADS, 2);
        pool.setName("master-http");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.open(listening);
        // Listening, not accepting: until a child is ready, a client waits in the kernel's
        // accept queue instead of getting 503 (see startAccepting).
        connector.setAccepting(false);
        server.addConnector(connector);
        this.connector = connector;
        // Jetty's graceful stop waits for requests in flight (each is bounded by --timeout), for at most this long.
        server.setHandler(new GracefulHandler(this));
        server.setStopTimeout(options.drainTimeout().toMillis());
        // Before Jetty's own graceful stop, which would answer 503 to a request on a kept-alive
        // connection: forward it as usual, answer with Connection: close so its client
        // reconnects, close connections that stay quiet, stop once none is left.
        CloseWhenDraining.install(server, options.drainTimeout());
        return server;
    }

    /**
     * Takes connections from here on. Called when the first child is ready: the socket has
     * listened since the master bound it, so a client that came earlier was queued by the
     * kernel, not refused, and is now served by that child.
     */
    void startAccepting() {
        connector.setAccepting(true);
    }

    /** One request: refuse it at once, or read its body as it arrives and then forward it. */
    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        String what = request.getMethod() + " " + request.getHttpURI().getPath();
        if (!METHODS.contains(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", METHODS));
            answer(response, callback, 405, "The master forwards " + String.join(", ", METHODS) + "\n");
            return true;
        }
        // A declared length over the limit is refused before a byte of the body is read.
        long declared = request.getLength();
        if (declared > options.maxBody()) {
            LOG.warn("{} has a body of {} bytes, over --max-body {}: answering 413", what, declared, options.maxBody());
            answer(response, callback, 413, tooLarge());
            return true;
        }
        // No length and no chunked coding means no body (RFC 9112 §6.3): nothing to read.
        boolean bodiless = declared == 0 || declared < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (bodiless) {
            forward(request, response, callback, what, NO_BODY);
            return true;
        }
        // A chunked body has no length: Jetty counts while it reads, and fails the read with
        // IllegalStateException ("Max size exceeded") as soon as the body passes the limit.
        Content.Source.asByteArrayAsync(request, options.maxBody()).whenComplete((body, failure) -> {
            if (failure == null) {
                forward(request, response, callback, what, body);
            } else if (unwrap(failure) instanceof IllegalStateException) {
                LOG.warn("{} has a chunked body over --max-body {}: answering 413", what, options.maxBody());
                answer(response, callback, 413, tooLarge());
            } else {
                // The client went away, or sent a body that does not parse: nobody to tell much.
                LOG.debug("{}: reading the body failed: {}", what, failure.toString());
                callback.failed(unwrap(failure));
            }
        });
        return true;
    }

    private void forward(Request request, org.eclipse.jetty.server.Response response, Callback callback,
            String what, byte[] body) {
        try {
            // Encode first, reserve second: a request the wire cannot carry is the client's
            // mistake, answered at once, and it must never hold a child's slot or an in-flight entry.
            long id = pending.nextId();
            byte[] frame;
            try {
                frame = Frames.encode(toRequest(request, id, body));
            } catch (Unencodable e) {
                int status = statusFor(e.limit());
                LOG.debug("{}: {}: answering {}", what, e.getMessage(), status);
                answer(response, callback, status, "Request not forwarded: " + e.getMessage() + "\n");
                return;
            }

            ChildHandle child = choose();
            if (child == null) {
                boolean noneReady = processes.inRotationCount() == 0;
                overload.refused(noneReady ? Overload.Why.NO_CHILD_READY : Overload.Why.EVERY_CHILD_FULL);
                String why = noneReady ? "no child is ready" : "every child has " + options.maxInFlight() + " requests in flight";
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                answer(response, callback, 503, why + "\n");
                return;
            }

            PendingTable.InFlightRequest entry = pending.open(id, child, what);
            if (LOG.isDebugEnabled()) { // three arguments: a varargs array per request, even with debug off
                LOG.debug("{} is request {} on {}", what, id, child);
            }
            // If the child went away between choosing and sending, its reader thread may already
            // have failed its requests; answer this one here instead of waiting for the timeout.
            if (!child.send(frame) || child.isGone()) {
                pending.fail(entry.id(), 502, child + " went away before the request was sent");
            }
            entry.answer().thenAccept(answer -> write(response, callback, answer));
        } catch (RuntimeException e) {
            // A bug in the master is the master's to log; the client gets one plain line, no stack trace.
            LOG.error("{} failed in the master", what, e);
            answer(response, callback, 500, "The master failed to forward this request; its log says why\n");
        }
    }

    /** A child answered: the request waiting for it completes, and its client gets the answer. */
    @Override
    public void onResponse(ChildHandle child, Response response) {
        pending.answer(response);
    }

    @Override
    public int onChildGone(ChildHandle child) {
        return pending.failAll(child, 502, child + " was lost before it answered");
    }

    /** What a client is told when its request is over a limit of the wire format. */
    static int statusFor(Unencodable.Limit limit) {
        return switch (limit) {
            case HEADERS -> 431; // Request Header Fields Too Large (RFC 6585)
            case STRING -> 431;  // a header, path or query longer than a frame field
            case FRAME -> 413;   // Content Too Large
        };
    }

    /**
     * Asks the policy, then takes a slot on its choice. Two HTTP threads may choose the same
     * child's last slot; the loser tries the others before giving up.
     */
    private ChildHandle choose() {
        List<ChildHandle> available = processes.available(options.maxInFlight());
        while (!available.isEmpty()) {
            ChildHandle child = policy.pick(available);
            if (child.tryReserve()) {
                return child;
            }
            available = new ArrayList<>(available);
            available.remove(child);
        }
        return null;
    }

    /** An HTTP request as a message: what crosses the pipe. */
    static Message.Request toRequest(Request request, long id, byte[] body) {
        String query = request.getHttpURI().getQuery();
        List<Header> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            if (!HOP_BY_HOP.contains(field.getLowerCaseName())) {
                headers.add(new Header(field.getName(), field.getValue()));
            }
        }
        return new Message.Request(id, request.getMethod(), request.getHttpURI().getPath(),
                query == null ? "" : query, headers, body);
    }

    /** Writes a child's response to the client, minus the headers about the pipe's connection. */
    static void write(org.eclipse.jetty.server.Response response, Callback callback, Response answer) {
        response.setStatus(answer.status());
        for (Header header : answer.headers()) {
            if (!HOP_BY_HOP.contains(header.name().toLowerCase(Locale.ROOT))) {
                response.getHeaders().add(header.name(), header.value());
            }
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** An answer the master makes up itself: a status and one line of text. */
    private static void answer(org.eclipse.jetty.server.Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private String tooLarge() {
        return "Request body over " + options.maxBody() + " bytes\n";
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
