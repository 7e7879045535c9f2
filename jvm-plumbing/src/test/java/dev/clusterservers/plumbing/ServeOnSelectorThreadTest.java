package dev.clusterservers.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real Jetty in this JVM on a free port, with a handler that waits on {@code /wait}: no processes. */
@Timeout(30)
class ServeOnSelectorThreadTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();
    private Server server;

    /** Answers {@code /wait} once released, every other path at once. */
    private final Handler routes = new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (Request.getPathInContext(request).equals("/wait")) {
                waiting.incrementAndGet();
                release.await();
            }
            response.write(true, StandardCharsets.US_ASCII.encode("ok"), callback);
            return true;
        }
    };

    private int start(QueuedThreadPool pool) throws Exception {
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(routes);
        ServeOnSelectorThread.install(server, ServeOnSelectorThread.bodylessGetOf("/"));
        server.start();
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    private CompletableFuture<HttpResponse<String>> get(int port, String path) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jettyIsToldTheServerNeverBlocksSoItsSelectorRunsTheHandler() throws Exception {
        start(new QueuedThreadPool(8, 2));
        assertThat(server.getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    }

    @Test
    void aRequestThatWaitsIsHandedToThePoolAndTheInlineRouteIsStillAnswered() throws Exception {
        int port = start(new QueuedThreadPool(8, 2));
        CompletableFuture<HttpResponse<String>> waits = get(port, "/wait");
        while (waiting.get() == 0) {
            Thread.sleep(5);
        }
        assertThat(get(port, "/").get(5, TimeUnit.SECONDS).body()).isEqualTo("ok");
        assertThat(waits).isNotDone();
        release.countDown();
        assertThat(waits.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
