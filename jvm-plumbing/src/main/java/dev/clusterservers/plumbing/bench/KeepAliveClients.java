package dev.clusterservers.plumbing.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop clients for the tests that stop a server under load: each client sends one GET
 * after another on its own kept-alive connection, and every outcome is counted, a status by
 * its code and a request that got no status (refused, reset, closed before the status line)
 * as a failure. A graceful stop should answer every request it takes with 2xx; what a
 * stopped server refuses is a failure, not a wrong answer.
 */
public final class KeepAliveClients implements AutoCloseable {
    /** After a failure, a client waits this long before it tries again, so a stopped server is not a busy loop. */
    private static final Duration AFTER_FAILURE = Duration.ofMillis(20);

    /** What the clients got: how many of each status, and how many requests got none. */
    public record Outcomes(Map<Integer, Long> statuses, long failures) {
        /** Requests answered with a status outside 200 to 299. */
        public long non2xx() {
            return statuses.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue).sum();
        }
    }

    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder ok = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private KeepAliveClients() {
    }

    /** Starts {@code clients} clients, each on its own thread and connection, all sending GET {@code uri}. */
    public static KeepAliveClients start(URI uri, int clients) {
        KeepAliveClients load = new KeepAliveClients();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> load.loop(uri), "keep-alive-client-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    /** Requests answered with 2xx so far. */
    public long ok() {
        return ok.sum();
    }

    /** Stops every client (each finishes the request it is in, up to its timeout) and returns the counts. */
    public Outcomes stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.sum()));
        return new Outcomes(counts, failures.sum());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void loop(URI uri) {
        // One client per thread: its own connection pool, so each thread holds one kept-alive connection.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        while (running) {
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                if (status / 100 == 2) {
                    ok.increment();
                }
            } catch (IOException e) {
                failures.increment();
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(AFTER_FAILURE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
