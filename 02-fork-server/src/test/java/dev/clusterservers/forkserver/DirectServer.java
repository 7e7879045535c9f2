package dev.clusterservers.forkserver;

import io.javalin.Javalin;
import java.io.IOException;
import io.javalin.http.HandlerType;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baseline: the children's {@link ChildRoutes}, served by Javalin in one JVM, with
 * no master and no pipe. The request and response go through the same conversions the
 * master uses, so the only difference left is the hop.
 *
 * <p>Run: {@code DirectServer --port 0}; prints {@code running in PORT: N}.
 */
public final class DirectServer {
    private DirectServer() {
    }

    public static void main(String[] args) {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8000;
        ChildRoutes routes = new ChildRoutes();
        Javalin javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            for (HandlerType method : Forwarder.METHODS) {
                cfg.routes.addHttpHandler(method, "*", ctx ->
                        Forwarder.write(ctx, routes.handle(Forwarder.toRequest(ctx, 1, ctx.bodyAsBytes()))));
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
}
