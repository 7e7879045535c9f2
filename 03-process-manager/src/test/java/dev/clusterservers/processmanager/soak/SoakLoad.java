package dev.clusterservers.processmanager.soak;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop HTTP/1.1 client that tells every request's outcome apart, for reload soaks:
 * kept-alive connections, a new connection per request, and slow requests (1-3 s) in flight,
 * all at once. Raw sockets and the JDK only, so nothing between the socket and the count
 * retries a request or hides a reset; the same class measures jpm and PM2.
 *
 * <p>A kept-alive connection is reused until the server answers {@code Connection: close}; an
 * error on it counts once, and the client opens a new one. A server that closes an idle kept-alive
 * connection just as the client sends on it shows up here as {@link Outcome#EOF_BEFORE_STATUS}.
 */
public final class SoakLoad implements AutoCloseable {
    /** What one request came to. */
    public enum Outcome {
        OK, REFUSED, RESET, EOF_BEFORE_STATUS, TIMEOUT, STATUS_5XX, OTHER_STATUS, OTHER_ERROR;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How many clients of each kind, and where. */
    public record Settings(String host, int port, int keepAlive, int newConnection, int slow,
                           long slowMinMs, long slowMaxMs, int connectTimeoutMs, int readTimeoutMs) {
    }

    static final int EXAMPLES = 20;

    private final Settings settings;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final Map<Long, LongAdder> okByPid = new ConcurrentHashMap<>();
    private final List<String> examples = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public SoakLoad(Settings settings) {
        this.settings = settings;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    /** Starts every client; each runs until {@link #close()}. */
    public SoakLoad start() {
        for (int i = 0; i < settings.keepAlive(); i++) {
            startClient("keep-alive-" + i, this::keepAliveLoop);
        }
        for (int i = 0; i < settings.newConnection(); i++) {
            startClient("new-connection-" + i, () -> newConnectionLoop("/"));
        }
        for (int i = 0; i < settings.slow(); i++) {
            startClient("slow-" + i, () -> newConnectionLoop(null));
        }
        return this;
    }

    private void startClient(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    public long count(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    public long failed() {
        return outcomes.entrySet().stream().filter(e -> e.getKey() != Outcome.OK).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** 2xx answers per X-Worker-Pid. */
    public Map<Long, Long> okByPid() {
        Map<Long, Long> copy = new TreeMap<>();
        okByPid.forEach((pid, n) -> copy.put(pid, n.sum()));
        return copy;
    }

    public synchronized List<String> examples() {
        return List.copyOf(examples);
    }

    /** Stops sending; every request in flight finishes (or times out) and is counted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(settings.readTimeoutMs() + settings.slowMaxMs() + 5_000L);
        }
    }

    /** The counts as one JSON object, for result files. */
    public String json() {
        StringBuilder out = new StringBuilder("{");
        for (Outcome outcome : Outcome.values()) {
            out.append('"').append(outcome.word()).append("\":").append(count(outcome)).append(',');
        }
        out.append("\"failed\":").append(failed()).append(",\"ok_by_pid\":{");
        String sep = "";
        for (Map.Entry<Long, Long> e : okByPid().entrySet()) {
            out.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
            sep = ",";
        }
        out.append("},\"examples\":[");
        sep = "";
        for (String example : examples()) {
            out.append(sep).append('"').append(example.replace("\\", "\\\\").replace("\"", "'")).append('"');
            sep = ",";
        }
        return out.append("]}").toString();
    }

    // ---- the clients -------------------------------------------------------------------

    private void keepAliveLoop() {
        Socket socket = null;
        while (running.get()) {
            try {
                if (socket == null) {
                    socket = connect();
                }
                Response response = exchange(socket, "/", true);
                record(response);
                if (response.close()) {
                    socket.close();
                    socket = null;
                }
            } catch (IOException e) {
                record(e);
                closeQuietly(socket);
                socket = null;
            }
        }
        closeQuietly(socket);
    }

    private void newConnectionLoop(String path) {
        while (running.get()) {
            String target = path != null ? path : "/slow?ms="
                    + ThreadLocalRandom.current().nextLong(settings.slowMinMs(), settings.slowMaxMs() + 1);
            try (Socket socket = connect()) {
                record(exchange(socket, target, false));
            } catch (IOException e) {
                record(e);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), settings.connectTimeoutMs());
            socket.setSoTimeout(settings.readTimeoutMs());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private record Response(int status, long pid, boolean close) {
    }

    private Response exchange(Socket socket, String path, boolean keepAlive) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + settings.host() + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = line(in);
        if (statusLine == null) {
            throw new NoStatus();
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        long length = -1;
        long pid = -1;
        boolean close = !keepAlive;
        boolean chunked = false;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "x-worker-pid" -> pid = Long.parseLong(value);
                case "connection" -> close |= value.equalsIgnoreCase("close");
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                default -> { }
            }
        }
        if (header == null) {
            throw new EOFException("end of stream inside the headers");
        }
        if (chunked) {
            readChunked(in);
        } else if (length >= 0) {
            if (in.readNBytes((int) length).length != length) {
                throw new EOFException("end of stream inside the body");
            }
        } else {
            in.readAllBytes();
            close = true;
        }
        // The buffered stream is dropped: an HTTP/1.1 server without pipelining sends nothing past the body.
        return new Response(status, pid, close);
    }

    private static void readChunked(InputStream in) throws IOException {
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new EOFException("end of stream inside a chunked body");
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (in.readNBytes(n + 2).length != n + 2) {
                throw new EOFException("end of stream inside a chunk");
            }
            if (n == 0) {
                return;
            }
        }
    }

    /** One CRLF-terminated line, or null at end of stream before any byte of it. */
    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int end = text.length();
                return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
            }
            text.append((char) b);
        }
        if (text.length() == 0) {
            return null;
        }
        throw new EOFException("end of stream inside a line");
    }

    /** The connection ended before the status line: the request may never have been read. */
    private static final class NoStatus extends IOException {
        NoStatus() {
            super("end of stream before the status line");
        }
    }

    // ---- counting ----------------------------------------------------------------------

    private void record(Response response) {
        Outcome outcome = response.status() >= 200 && response.status() < 300 ? Outcome.OK
                : response.status() >= 500 ? Outcome.STATUS_5XX : Outcome.OTHER_STATUS;
        outcomes.get(outcome).increment();
        if (outcome == Outcome.OK) {
            okByPid.computeIfAbsent(response.pid(), p -> new LongAdder()).increment();
        } else {
            example(outcome, "status " + response.status() + " from PID " + response.pid());
        }
    }

    private void record(IOException e) {
        if (!running.get() && e instanceof ConnectException) {
            return;
        }
        Outcome outcome = classify(e);
        outcomes.get(outcome).increment();
        example(outcome, e.toString());
    }

    static Outcome classify(IOException e) {
        if (e instanceof ConnectException) {
            return Outcome.REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return Outcome.TIMEOUT;
        }
        if (e instanceof NoStatus) {
            return Outcome.EOF_BEFORE_STATUS;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof SocketException && (message.contains("reset") || message.contains("broken pipe"))) {
            return Outcome.RESET;
        }
        return Outcome.OTHER_ERROR;
    }

    private synchronized void example(Outcome outcome, String what) {
        if (examples.size() < EXAMPLES) {
            examples.add(System.currentTimeMillis() + " " + outcome.word() + ": " + what + " (" + Thread.currentThread().getName() + ")");
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Already counted, or nothing to count.
            }
        }
    }
}
