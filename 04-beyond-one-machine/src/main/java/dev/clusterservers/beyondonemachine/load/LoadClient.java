package dev.clusterservers.beyondonemachine.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop HTTP/1.1 client that classifies how every request ended. Each connection is a
 * thread that sends a request, reads the whole answer, and sends the next on the same
 * connection (keep-alive), as a browser or a service client does; a connection that ends is
 * opened again. It writes its requests by hand on a plain socket, so nothing between it and
 * the server retries or hides a failure: what the table counts is what a user would have seen.
 *
 * <p>Every answer's {@code X-Lab-Host} and {@code X-Release} headers go into a {@link Timeline},
 * second by second, which is how a deploy's progress across hosts is drawn.
 */
public final class LoadClient implements AutoCloseable {
    /** A request waits this long for its answer; HAProxy's own retries finish well within it. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** After a refused connection, a thread waits this long before the next try, not in a tight loop. */
    static final long REFUSED_PAUSE_MS = 50;

    /** Which request each connection sends. */
    public enum Mix {
        /** {@code GET /}: idempotent, which HAProxy may retry on another host. */
        GET,
        /** {@code POST /visits}: counts a visit in Redis; HAProxy must not replay it. */
        POST,
        /** Every other request a POST. */
        BOTH
    }

    private final InetSocketAddress target;
    private final Mix mix;
    private final Timeline timeline;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    private LoadClient(InetSocketAddress target, Mix mix, Timeline timeline) {
        this.target = target;
        this.mix = mix;
        this.timeline = timeline;
    }

    /** Starts {@code connections} threads against {@code target}; {@link #close()} stops them. */
    public static LoadClient start(InetSocketAddress target, int connections, Mix mix) {
        if (connections < 1 || connections > 256) {
            throw new IllegalArgumentException("--connections must be between 1 and 256: " + connections);
        }
        LoadClient client = new LoadClient(target, mix, new Timeline(System.nanoTime()));
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> client.loop(), "load-" + i);
            thread.setDaemon(true);
            client.threads.add(thread);
            thread.start();
        }
        return client;
    }

    public Timeline timeline() {
        return timeline;
    }

    /** Stops sending, lets each connection finish its request in flight, and returns the counts. */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(READ_TIMEOUT.toMillis() + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void loop() {
        long sent = 0;
        while (running.get()) {
            try (Socket socket = new Socket()) {
                try {
                    socket.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                } catch (ConnectException e) {
                    timeline.record(isPost(sent) ? "POST" : "GET", Outcome.REFUSED, null, null);
                    pause();
                    continue;
                } catch (SocketTimeoutException e) {
                    timeline.record(isPost(sent) ? "POST" : "GET", Outcome.TIMEOUT, null, null);
                    continue;
                }
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                boolean open = true;
                while (open && running.get()) {
                    open = exchange(in, out, isPost(sent++));
                }
            } catch (IOException e) {
                // the socket's close failed; the next loop opens a new one
            }
        }
    }

    private boolean isPost(long sent) {
        return mix == Mix.POST || (mix == Mix.BOTH && sent % 2 == 1);
    }

    /** One request and its answer; false when the connection must not be used again. */
    private boolean exchange(InputStream in, OutputStream out, boolean post) {
        String method = post ? "POST" : "GET";
        try {
            out.write(post ? POST_VISIT : GET_ROOT);
            out.flush();
            Response response = Response.read(in);
            if (response == null) {
                timeline.record(method, Outcome.EOF, null, null);
                return false;
            }
            timeline.record(method, Outcome.ofStatus(response.status()), response.host(), response.release());
            return !response.close();
        } catch (SocketTimeoutException e) {
            timeline.record(method, Outcome.TIMEOUT, null, null);
        } catch (SocketException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            timeline.record(method, message.contains("reset") || message.contains("broken pipe") ? Outcome.RESET : Outcome.EOF, null, null);
        } catch (IOException e) {
            timeline.record(method, Outcome.EOF, null, null);
        }
        return false;
    }

    private void pause() {
        try {
            Thread.sleep(REFUSED_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final byte[] GET_ROOT = "GET / HTTP/1.1\r\nHost: lab\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POST_VISIT = "POST /visits HTTP/1.1\r\nHost: lab\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** What the client keeps of an answer: the status, who answered, and whether the connection ends. */
    record Response(int status, String host, String release, boolean close) {
        /** Reads one whole response; null if the stream ended before its status line. */
        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            if (statusLine == null) {
                return null;
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            String host = null;
            String release = null;
            boolean close = false;
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "x-lab-host" -> host = value;
                    case "x-release" -> release = value;
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    skip(in, size);
                    line(in);
                }
                line(in);
            } else if (length >= 0) {
                skip(in, length);
            } else {
                in.transferTo(OutputStream.nullOutputStream());
                close = true;
            }
            return new Response(status, host, release, close);
        }

        private static void skip(InputStream in, long bytes) throws IOException {
            in.skipNBytes(bytes); // an EOFException if the body is cut short: the answer never arrived whole
        }

        /** One CRLF-terminated line, or null at the end of the stream before any byte of it. */
        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int b = in.read();
            if (b < 0) {
                return null;
            }
            while (b >= 0 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
                b = in.read();
            }
            if (b < 0) {
                throw new java.io.EOFException("the stream ended inside a line");
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
