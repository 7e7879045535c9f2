package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.policy.Policy;
import dev.clusterservers.forkserver.ipc.Message;
import dev.clusterservers.forkserver.ipc.Message.Header;
import dev.clusterservers.forkserver.ipc.Message.Response;
import dev.clusterservers.forkserver.ipc.Unencodable;
import dev.clusterservers.forkserver.ipc.Frames;
import dev.clusterservers.plumbing.CloseWhenDraining;
import dev.clusterservers.plumbing.JettyWithoutJmx;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.servlet.DefaultTasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's HTTP side. Every request, whatever its method and path, is turned into a
 * {@link Message.Request}, given to one child chosen by the policy, and answered with what
 * comes back. The HTTP thread does not wait: Javalin holds the request open until the
 * pending entry's future completes, so many requests are in flight on few threads.
 */
final class Forwarder implements ChildHandle.Responses {
    private static final Logger LOG = LoggerFactory.getLogger("master");
    /** The master's Jetty request threads: see {@link #createApp}. */
    static final int HTTP_THREADS = 8;
    private static final byte[] NO_BODY = new byte[0];
    static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);
    /** Headers about one connection, not the message (RFC 9110 §7.6.1); Jetty sets its own. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "content-length");

    private final ProcessList processes;
    private final PendingTable pending;
    private final Policy policy;
    private final Options options;
    private final Overload overload;
    private volatile ServerConnector connector;

    Forwarder(ProcessList processes, PendingTable pending, Policy policy, Options options, Overload overload) {
        this.processes = processes;
        this.pending = pending;
        this.policy = policy;
        this.options = options;
        this.overload = overload;
    }

    /**
     * The master's Javalin app on a socket the master bound itself, so that a port in use is
     * one clear error before anything starts: one catch-all route per method, all forwarded.
     */
    Javalin createApp(ServerSocketChannel listening) {
        JettyWithoutJmx.beforeJettyLoads();
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = options.maxBody();
            // Every step of Javalin's request life cycle costs each request, used or not; the
            // master has only catch-all endpoints, so only the endpoint step runs.
            cfg.requestLifeCycle(DefaultTasks.INSTANCE.getHTTP());
            // No HTTP thread waits for a child (the answer completes the request later), so a
            // few threads parse and forward everything; Javalin's default pool grows far larger.
            QueuedThreadPool pool = new QueuedThreadPool(HTTP_THREADS, 2);
            pool.setName("master-http");
            cfg.jetty.threadPool = pool;
            cfg.jetty.modifyServer(server -> {
                // Graceful stop: take no new connections, let requests in flight finish, for at most this long.
                server.setStopTimeout(options.drainTimeout().toMillis());
                // Before Jetty's own graceful stop, which would answer 503 to a request on a
                // kept-alive connection: forward it as usual, answer with Connection: close so
                // its client reconnects, close connections that stay quiet, stop once none is
                // left. In place of Javalin's StatisticsHandler: the drain counts what a stop needs.
                CloseWhenDraining.install(server, options.drainTimeout());
            });
            cfg.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                try {
                    connector.open(listening);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // Listening, not accepting: until a child is ready, a client waits in the
                // kernel's accept queue instead of getting 503 (see startAccepting).
                connector.setAccepting(false);
                this.connector = connector;
                return connector;
            });
            for (HandlerType method : METHODS) {
                cfg.routes.addHttpHandler(method, "*", this::forward);
            }
            // A bug in the master is the master's to log; the client gets one plain line, no stack trace.
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed in the master", ctx.method(), ctx.path(), e);
                ctx.status(500).result("The master failed to forward this request; its log says why\n");
            });
        });
    }

    /**
     * Takes connections from here on. Called when the first child is ready: the socket has
     * listened since the master bound it, so a client that came earlier was queued by the
     * kernel, not refused, and is now served by that child.
     */
    void startAccepting() {
        connector.setAccepting(true);
    }

    void forward(Context ctx) {
        String what = ctx.method() + " " + ctx.path();
        // A declared length over the limit is refused before a byte of the body is read.
        // A chunked body has no length: Javalin counts while reading and answers 413 itself.
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxBody()) {
            LOG.warn("{} has a body of {} bytes, over --max-body {}: answering 413", what, declared, options.maxBody());
            ctx.status(413).result("Request body over " + options.maxBody() + " bytes\n");
            return;
        }
        // No length and no chunked coding means no body (RFC 9112 §6.3): nothing to read, and
        // Javalin's copy of an empty stream is a measurable share of a GET's cost in the master.
        boolean bodiless = declared == 0 || declared < 0 && ctx.header("Transfer-Encoding") == null;
        byte[] body = bodiless ? NO_BODY : ctx.bodyAsBytes();

        // Encode first, reserve second: a request the wire cannot carry is the client's
        // mistake, answered at once, and it must never hold a child's slot or a pending entry.
        long id = pending.nextId();
        byte[] frame;
        try {
            frame = Frames.encode(toRequest(ctx, id, body));
        } catch (Unencodable e) {
            int status = statusFor(e.limit());
            LOG.debug("{}: {}: answering {}", what, e.getMessage(), status);
            ctx.status(status).result("Request not forwarded: " + e.getMessage() + "\n");
            return;
        }

        ChildHandle child = choose();
        if (child == null) {
            boolean noneReady = processes.inRotationCount() == 0;
            overload.refused(noneReady ? Overload.Why.NO_CHILD_READY : Overload.Why.EVERY_CHILD_FULL);
            String why = noneReady ? "no child is ready" : "every child has " + options.maxInFlight() + " requests in flight";
            ctx.status(503).header("Retry-After", "1").result(why + "\n");
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
        ctx.future(() -> entry.answer().thenAccept(response -> write(ctx, response)));
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

    /** An HTTP request as a message: what crosses the pipe. The benchmark's baseline uses it too. */
    static Message.Request toRequest(Context ctx, long id, byte[] body) {
        return new Message.Request(id, ctx.method().name(), ctx.path(),
                ctx.queryString() == null ? "" : ctx.queryString(), requestHeaders(ctx), body);
    }

    private static List<Header> requestHeaders(Context ctx) {
        List<Header> headers = new ArrayList<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(ctx.req().getHeaders(name))) {
                    headers.add(new Header(name, value));
                }
            }
        }
        return headers;
    }

    /** Writes a child's response to the client, minus the headers about the pipe's connection. */
    static void write(Context ctx, Response response) {
        ctx.status(response.status());
        for (Header header : response.headers()) {
            if (header.name().equalsIgnoreCase("Content-Type")) {
                ctx.contentType(header.value());
            } else if (!HOP_BY_HOP.contains(header.name().toLowerCase(Locale.ROOT))) {
                ctx.res().addHeader(header.name(), header.value());
            }
        }
        ctx.result(response.body());
    }
}
