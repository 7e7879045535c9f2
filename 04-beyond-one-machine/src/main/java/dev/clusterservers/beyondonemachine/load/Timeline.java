package dev.clusterservers.beyondonemachine.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request's outcome, counted per second of the run: answers per host and per release,
 * failures per kind, and the moments something was done to the lab ("drain h1", "cut h2").
 * The lab's bench writes it as JSON, and {@code diagrams} draws the deploy timeline from it.
 */
public final class Timeline {
    private final long startNanos;
    /** "second|method|kind|host|release" → count; host and release are "-" for a failure. */
    private final ConcurrentMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<Event> events = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Something the lab did, at a time since the run started. */
    public record Event(double second, String what) {
    }

    /** Answers or failures of one kind in one second. */
    public record Count(int second, String method, Outcome outcome, String host, String release, long count) {
    }

    Timeline(long startNanos) {
        this.startNanos = startNanos;
    }

    void record(String method, Outcome outcome, String host, String release) {
        int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
        String key = second + "|" + method + "|" + outcome.name() + "|" + (host == null ? "-" : host) + "|" + (release == null ? "-" : release);
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Notes what the lab just did, for the chart and the log. */
    public void mark(String what) {
        events.add(new Event((System.nanoTime() - startNanos) / 1e9, what));
    }

    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Every count, by second. */
    public List<Count> counts() {
        List<Count> all = new ArrayList<>();
        counts.forEach((key, adder) -> {
            String[] f = key.split("\\|", 5);
            all.add(new Count(Integer.parseInt(f[0]), f[1], Outcome.valueOf(f[2]), f[3], f[4], adder.sum()));
        });
        all.sort(java.util.Comparator.comparingInt(Count::second).thenComparing(Count::method).thenComparing(c -> c.outcome().ordinal())
                .thenComparing(Count::host).thenComparing(Count::release));
        return all;
    }

    /** How many requests ended each way, over the whole run. */
    public Map<Outcome, Long> totals() {
        return totals(c -> true);
    }

    public long failed() {
        return totals().entrySet().stream().filter(e -> e.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
    }

    /** How many requests of one method ({@code GET}, {@code POST}) ended each way. */
    public Map<Outcome, Long> totals(String method) {
        return totals(c -> c.method().equals(method));
    }

    private Map<Outcome, Long> totals(java.util.function.Predicate<Count> which) {
        Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            totals.put(outcome, 0L);
        }
        counts().stream().filter(which).forEach(c -> totals.merge(c.outcome(), c.count(), Long::sum));
        return totals;
    }

    /** Successful answers per host, over the whole run. */
    public Map<String, Long> answeredByHost() {
        Map<String, Long> byHost = new TreeMap<>();
        counts().stream().filter(c -> c.outcome() == Outcome.OK).forEach(c -> byHost.merge(c.host(), c.count(), Long::sum));
        return byHost;
    }

    /** Successful answers per release in the run's last {@code seconds} seconds: after a deploy, only the new one. */
    public Map<String, Long> answeredByReleaseInLast(int seconds) {
        int last = counts().stream().mapToInt(Count::second).max().orElse(0);
        Map<String, Long> byRelease = new TreeMap<>();
        counts().stream().filter(c -> c.outcome() == Outcome.OK && c.second() > last - seconds)
                .forEach(c -> byRelease.merge(c.release(), c.count(), Long::sum));
        return byRelease;
    }

    /** One line a person reads: "12,345 requests: 12,345 ok, 0 failed (refused 0, reset 0, ...)". */
    public String summary() {
        Map<Outcome, Long> totals = totals();
        long all = totals.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder line = new StringBuilder(String.format("%,d requests: %,d ok, %,d failed (", all,
                totals.get(Outcome.OK), failed()));
        List<String> kinds = new ArrayList<>();
        for (Outcome outcome : Outcome.values()) {
            if (outcome.failed()) {
                kinds.add(outcome.label + " " + String.format("%,d", totals.get(outcome)));
            }
        }
        return line.append(String.join(", ", kinds)).append(')').toString();
    }
}
