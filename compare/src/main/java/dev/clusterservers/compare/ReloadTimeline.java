package dev.clusterservers.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * What a client sees while jpm replaces every instance of a running cluster: each request's
 * outcome, counted in {@value #BUCKET_MILLIS} ms buckets, and the moments the command was sent
 * and returned and each instance answered first or last. {@code jpm reload} should show only
 * successes; {@code jpm restart}, its contrast, a gap of refused connections while no instance
 * listens.
 *
 * <p>The load is the benchmark's: {@value ComparisonBenchmark#CLIENTS} threads, each sending
 * {@code GET /} as soon as the previous answer came. A thread whose request failed waits
 * {@value #RETRY_MILLIS} ms before the next one, as a real client would, so the failures
 * counted are a rate, not a spin.
 */
final class ReloadTimeline {
    static final int BUCKET_MILLIS = 100;
    static final long RETRY_MILLIS = 10;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Steady load before the command, and after it returned. */
    static final Duration BEFORE = Duration.ofSeconds(2);
    static final Duration AFTER = Duration.ofSeconds(2);
    private static final int MAX_BUCKETS = 3_000;

    enum Outcome { OK, SERVER_ERROR, REFUSED, RESET, TIMEOUT, OTHER }

    /** One bucket: its start in seconds since the load began, and how many requests ended each way in it. */
    record Bucket(double t, long ok, long serverError, long refused, long reset, long timeout, long other) { }

    record Event(double t, String what) { }

    record Timeline(String command, int instances, int concurrency, int bucketMillis, int cpus, String jdk, String date,
                    String runCommand, List<Bucket> buckets, List<Event> events) { }

    private final AtomicLongArray counts = new AtomicLongArray(MAX_BUCKETS * Outcome.values().length);
    private final Map<Long, long[]> firstAndLastAnswer = new ConcurrentHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private long origin;

    /** Loads the cluster, runs {@code jpm VERB api} in the middle, and writes {@code dir/VERB.json}. */
    static Timeline record(Servers cluster, String verb, String runCommand, Path dir) throws Exception {
        Timeline timeline = new ReloadTimeline().run(cluster, verb, runCommand);
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(verb + ".json").toFile(), timeline);
        return timeline;
    }

    /** {@code 12,345 requests, 12,345 answered 2xx, 0 failed}. */
    static String summary(Timeline timeline) {
        long ok = timeline.buckets().stream().mapToLong(Bucket::ok).sum();
        long all = timeline.buckets().stream().mapToLong(b -> b.ok() + b.serverError() + b.refused() + b.reset() + b.timeout() + b.other()).sum();
        return String.format(java.util.Locale.ROOT, "%,d requests, %,d answered 2xx, %,d did not", all, ok, all - ok);
    }

    private Timeline run(Servers cluster, String verb, String runCommand) throws Exception {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(ComparisonBenchmark.CLIENTS);
        client.start();
        List<Thread> load = new ArrayList<>();
        origin = System.nanoTime();
        long sent;
        try {
            for (int i = 0; i < ComparisonBenchmark.CLIENTS; i++) {
                Thread thread = new Thread(() -> sendUntilInterrupted(client, cluster.uri()), "load-" + i);
                thread.setDaemon(true);
                thread.start();
                load.add(thread);
            }
            Thread.sleep(BEFORE.toMillis());
            sent = System.nanoTime();
            events.add(new Event(seconds(sent), "jpm " + verb + " sent"));
            if (verb.equals("reload")) {
                cluster.jpm().reload();
            } else {
                cluster.jpm().restart();
            }
            events.add(new Event(seconds(System.nanoTime()), "jpm " + verb + " returned"));
            Thread.sleep(AFTER.toMillis());
        } finally {
            load.forEach(Thread::interrupt);
            for (Thread thread : load) {
                thread.join(REQUEST_TIMEOUT.toMillis() + 1_000);
            }
            client.stop();
        }
        long end = System.nanoTime();
        replacements(sent, end);
        return new Timeline("jpm " + verb + " " + JpmDriver.APP, cluster.configuration().workers(), ComparisonBenchmark.CLIENTS,
                BUCKET_MILLIS, Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
                LocalDate.now().toString(), runCommand, buckets(end), events);
    }

    private void sendUntilInterrupted(HttpClient client, URI uri) {
        while (!Thread.currentThread().isInterrupted()) {
            Outcome outcome;
            try {
                ContentResponse response = client.newRequest(uri).timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).send();
                outcome = response.getStatus() / 100 == 2 ? Outcome.OK
                        : response.getStatus() >= 500 ? Outcome.SERVER_ERROR : Outcome.OTHER;
                String pid = response.getHeaders().get("X-Worker-Pid");
                if (pid != null) {
                    long now = System.nanoTime();
                    firstAndLastAnswer.computeIfAbsent(Long.parseLong(pid), p -> new long[] {now, now})[1] = now;
                }
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException e) {
                outcome = classify(e);
            }
            count(outcome);
            if (outcome != Outcome.OK && !pause()) {
                return;
            }
        }
    }

    /** Connection refused: nobody listens. Reset or closed: a process went away with the connection open. */
    static Outcome classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return Outcome.TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return Outcome.REFUSED;
            }
            if (t instanceof IOException) {
                return Outcome.RESET;
            }
        }
        return Outcome.OTHER;
    }

    private void count(Outcome outcome) {
        int bucket = (int) Math.min(MAX_BUCKETS - 1, (System.nanoTime() - origin) / 1_000_000 / BUCKET_MILLIS);
        counts.incrementAndGet(bucket * Outcome.values().length + outcome.ordinal());
    }

    private static boolean pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** An instance that first answered after the command was sent is a replacement; one whose last answer came before the end, a replaced one. */
    private void replacements(long sent, long end) {
        long quiet = TimeUnit.MILLISECONDS.toNanos(BUCKET_MILLIS * 5L);
        firstAndLastAnswer.forEach((pid, times) -> {
            if (times[0] > sent) {
                events.add(new Event(seconds(times[0]), "PID " + pid + " first answer"));
            }
            if (times[1] < end - quiet) {
                events.add(new Event(seconds(times[1]), "PID " + pid + " last answer"));
            }
        });
        events.sort((a, b) -> Double.compare(a.t(), b.t()));
    }

    private List<Bucket> buckets(long end) {
        int n = (int) Math.min(MAX_BUCKETS, (end - origin) / 1_000_000 / BUCKET_MILLIS + 1);
        List<Bucket> buckets = new ArrayList<>();
        int k = Outcome.values().length;
        for (int i = 0; i < n; i++) {
            buckets.add(new Bucket(i * BUCKET_MILLIS / 1000.0, counts.get(i * k), counts.get(i * k + 1), counts.get(i * k + 2),
                    counts.get(i * k + 3), counts.get(i * k + 4), counts.get(i * k + 5)));
        }
        return buckets;
    }

    private double seconds(long nanos) {
        return Math.round((nanos - origin) / 1e6) / 1000.0;
    }
}
