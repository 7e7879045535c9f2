package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.ipc.Message.Header;
import dev.clusterservers.forkserver.ipc.Message.Request;
import dev.clusterservers.forkserver.ipc.Message.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The work a child does: a plain function from request to response. It knows nothing about
 * pipes or masters, which is the point: the same routes run in a child behind the master, or
 * behind Javalin in one JVM (the benchmark's baseline). Every answer carries
 * {@code X-Worker-Pid} (the header every lesson uses), so a learner, or the benchmark that counts
 * requests per worker, can see which process did the work.
 */
public final class ChildRoutes {
    /** The largest {@code /fib?n=}: fib(45) already takes seconds of one core. */
    static final int MAX_FIB = 45;
    /** The longest {@code /slow?ms=} will sleep. */
    static final long MAX_SLOW_MS = 60_000;

    private final long pid = ProcessHandle.current().pid();

    /** Routes a request. Called on many threads at once; keeps no state between requests. */
    public Response handle(Request request) {
        String route = request.method() + " " + request.path();
        try {
            return switch (route) {
                case "GET /" -> text(request, 200, "Hello from child PID: " + pid + "\n");
                case "GET /fib" -> fib(request);
                case "GET /slow" -> slow(request);
                case "POST /echo", "PUT /echo" -> echo(request);
                default -> text(request, 404, "No route " + route + " in child PID: " + pid + "\n");
            };
        } catch (BadParameter e) {
            return text(request, 400, e.getMessage() + "\n");
        }
    }

    /**
     * CPU-bound on purpose: the naive recursion takes time exponential in n and holds one core.
     * In a single-threaded server (Node's event loop) it would stall every other request; here
     * it stalls one child thread, and the master keeps handing other requests to other children.
     */
    private Response fib(Request request) throws BadParameter {
        int n = (int) parameter(request, "n", 30, 0, MAX_FIB);
        long start = System.nanoTime();
        long value = fibonacci(n);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return text(request, 200, "fib(" + n + ") = " + value + ", computed in " + ms + " ms by child PID: " + pid + "\n");
    }

    static long fibonacci(int n) {
        return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
    }

    /** Waits without using the CPU: a stand-in for a slow database, and a way to see 504. */
    private Response slow(Request request) throws BadParameter {
        long ms = parameter(request, "ms", 1_000, 0, MAX_SLOW_MS);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text(request, 200, "Slept " + ms + " ms in child PID: " + pid + "\n");
    }

    /** The body back, byte for byte: shows the body crossed two pipes intact. */
    private Response echo(Request request) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("X-Worker-Pid", Long.toString(pid)));
        String type = header(request, "Content-Type");
        headers.add(new Header("Content-Type", type != null ? type : "application/octet-stream"));
        return new Response(request.id(), 200, headers, request.body());
    }

    private Response text(Request request, int status, String body) {
        return new Response(request.id(), status, List.of(
                new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("X-Worker-Pid", Long.toString(pid))),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static long parameter(Request request, String name, long fallback, long min, long max) throws BadParameter {
        String raw = query(request.query()).get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, the same way as a number out of range.
        }
        throw new BadParameter("?" + name + "= must be a number from " + min + " to " + max + ", got '" + raw + "'");
    }

    static Map<String, String> query(String query) {
        Map<String, String> values = new TreeMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            values.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String header(Request request, String name) {
        return request.headers().stream().filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value).findFirst().orElse(null);
    }

    /** A query parameter a route cannot use; answered with 400. */
    static final class BadParameter extends Exception {
        BadParameter(String message) {
            super(message);
        }
    }
}
