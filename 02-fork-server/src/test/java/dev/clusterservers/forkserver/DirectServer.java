package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.ipc.Message;
import dev.clusterservers.forkserver.ipc.Message.Header;
import dev.clusterservers.forkserver.ipc.Message.Response;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baseline: the children's {@link ChildRoutes}, served by Javalin in one JVM,
 * with no master and no pipe. The request and response go through the same conversions as
 * the master's (to a {@link Message.Request} and back, minus the hop-by-hop headers), so the
 * only difference left is the hop.
 *
 * <p>Run: {@code DirectServer --port 0}; prints {@code running in PORT: N}.
 */
public final class DirectServer {
    static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

    private DirectServer() {
    }

    public static void main(String[] args) {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8000;
        ChildRoutes routes = new ChildRoutes();
        Javalin javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            for (HandlerType method : METHODS) {
                cfg.routes.addHttpHandler(method, "*", ctx -> write(ctx, routes.handle(toRequest(ctx, ctx.bodyAsBytes()))));
            }
        }).start(port);
        LoggerFactory.getLogger("direct").info("Direct server PID: {} running in PORT: {}",
                ProcessHandle.current().pid(), javalin.port());
        // Like a child of the fork server: the end of stdin means whoever started us is gone.
        try {
            while (System.in.read() >= 0) {
                // Nothing is sent on stdin; it only tells us when the parent goes away.
            }
        } catch (IOException e) {
            // Same meaning as the end of the stream.
        }
        javalin.stop();
        System.exit(0);
    }

    private static Message.Request toRequest(Context ctx, byte[] body) {
        List<Header> headers = new ArrayList<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            if (!Forwarder.HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(ctx.req().getHeaders(name))) {
                    headers.add(new Header(name, value));
                }
            }
        }
        return new Message.Request(1, ctx.method().name(), ctx.path(),
                ctx.queryString() == null ? "" : ctx.queryString(), headers, body);
    }

    private static void write(Context ctx, Response response) {
        ctx.status(response.status());
        for (Header header : response.headers()) {
            if (header.name().equalsIgnoreCase("Content-Type")) {
                ctx.contentType(header.value());
            } else if (!Forwarder.HOP_BY_HOP.contains(header.name().toLowerCase(Locale.ROOT))) {
                ctx.res().addHeader(header.name(), header.value());
            }
        }
        ctx.result(response.body());
    }
}
