package dev.clusterservers.compare;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The lessons' answer served by Jetty 12 alone: one core {@link Handler}, no Javalin and no
 * servlet layer, in one JVM. Not a lesson: the comparison's row that shows what the framework
 * costs per request, beside the Javalin worker that the baseline runs.
 *
 * <p>Same answer as lesson 01's worker ({@code GET /}: {@code Hello from worker PID:N}, with
 * {@code X-Worker-Pid}), same start-up line ({@code Worker created, PID: N PORT: P}), and
 * Jetty's defaults otherwise: its default thread pool, one HTTP/1.1 connector, keep-alive.
 *
 * <p>Run: {@code java -cp compare/target/compare.jar dev.clusterservers.compare.JettyHandlerWorker 8000}.
 */
public final class JettyHandlerWorker {
    private JettyHandlerWorker() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        long pid = ProcessHandle.current().pid();
        String pidHeader = Long.toString(pid);
        byte[] hello = ("Hello from worker PID:" + pid + "\n").getBytes(StandardCharsets.UTF_8);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);
        // Non-blocking: the answer is ready at once, so Jetty may write it from the selector's own thread.
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                response.getHeaders().put("X-Worker-Pid", pidHeader);
                response.write(true, ByteBuffer.wrap(hello), callback);
                return true;
            }
        });
        // SIGTERM (and Ctrl-C) stops the server through Jetty's own shutdown hook.
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("Worker created, PID: " + pid + " PORT: " + port);
        server.join();
    }
}
