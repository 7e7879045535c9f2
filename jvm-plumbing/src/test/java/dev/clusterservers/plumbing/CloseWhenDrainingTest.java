package dev.clusterservers.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real Jetty in this JVM, on a free port, and raw keep-alive connections to it: no processes. */
@Timeout(30)
class CloseWhenDrainingTest {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private Server server;
    private ServerConnector connector;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        startServer(false);
    }

    /** {@code wrappedLater}: another handler is installed around the drain after it, as ServeOnSelectorThread may be. */
    private void startServer(boolean wrappedLater) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
        CloseWhenDraining.install(server, DRAIN_TIMEOUT);
        // Installed first, so the drain wraps it, as it wraps Javalin's handler in the lessons.
        ((Handler.Wrapper) server.getHandler()).setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback)
                    throws Exception {
                if (request.getHttpURI().getPath().equals("/slow")) {
                    slowStarted.countDown();
                    releaseSlow.await(20, TimeUnit.SECONDS);
                }
                response.write(true, StandardCharsets.UTF_8.encode("ok\n"), callback);
                return true;
            }
        });
        if (wrappedLater) {
            // Jetty's graceful handler inside, as a servlet context has one: were the drain not to
            // run, Jetty's own graceful stop would answer a kept-alive client 503.
            Handler.Wrapper drain = (Handler.Wrapper) server.getHandler();
            drain.setHandler(new GracefulHandler(drain.getHandler()));
            server.setHandler(new Handler.Wrapper(server.getHandler()));
        }
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stopServer() throws Exception {
        releaseSlow.countDown();
        server.stop();
    }

    @Test
    void aRequestOnAKeptAliveConnectionWhileDrainingIsAnswered200WithConnectionClose() throws Exception {
        try (Socket kept = new Socket("127.0.0.1", port); Socket slow = new Socket("127.0.0.1", port)) {
            send(slow, "/slow");
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(exchange(kept, "/")).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Connection: close");

            CompletableFuture<Void> stopping = stopInBackground();
            // The request in handling holds the drain open; the kept connection was busy less
            // than the drain's quiet time ago, so it is still open for one more request.
            awaitListenerClosed();

            assertThat(exchange(kept, "/")).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
            releaseSlow.countDown();
            stopping.get(DRAIN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDrainRunsWhenAHandlerInstalledLaterWrapsIt() throws Exception {
        server.stop();
        startServer(true);

        aRequestOnAKeptAliveConnectionWhileDrainingIsAnswered200WithConnectionClose();
    }

    @Test
    void whileDrainingTheListenerTakesNoNewConnection() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", port)) {
            send(slow, "/slow");
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            stopInBackground();
            awaitListenerClosed();

            // The JVM closes a listening socket whose acceptor thread is blocked in accept() by
            // waking that thread; until it has woken, the kernel still completes handshakes.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (connects() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(connects()).as("a new connection while draining").isFalse();
            assertThat(server.isStopping()).as("still draining: a request is in handling").isTrue();
        }
    }

    private CompletableFuture<Void> stopInBackground() {
        return CompletableFuture.runAsync(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The drain closes the listener as it begins: from then on it is draining. */
    private void awaitListenerClosed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (connector.isOpen()) {
            assertThat(System.nanoTime() < deadline).as("the drain began within 10 s").isTrue();
            Thread.sleep(5);
        }
    }

    private boolean connects() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void send(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends a GET on this connection and reads the response's head and its 3-byte body. */
    private static String exchange(Socket socket, String path) throws IOException {
        send(socket, path);
        socket.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        List<String> head = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.add(line);
        }
        char[] body = new char[3];
        int read = 0;
        while (read < body.length) {
            int n = in.read(body, read, body.length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return String.join("\r\n", head) + "\r\n\r\n" + new String(body, 0, read);
    }
}
