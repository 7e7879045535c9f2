package dev.clusterservers.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Watches an approach's logs for the line each worker prints once it is ready, and notes
 * when the line appeared, in the clock of {@code /proc} (seconds since boot), so that
 * "spawn to ready" is the line's moment minus the process's own start time from
 * {@code /proc/PID/stat}: both read by the kernel's clock, whoever spawned the worker.
 *
 * <p>It reads every {@value #POLL_MILLIS} ms, on a thread of its own, because some approaches
 * ({@code jpm start}, {@code pm2 start}) only return once their workers run. A line is seen up
 * to one poll (and the time the writer takes to flush it) after it was written: the figures
 * carry that much slack, the same for every approach.
 */
final class ReadyWatch implements AutoCloseable {
    static final long POLL_MILLIS = 10;

    private final List<Path> places;
    private final Pattern ready;
    private final Map<Long, Double> seenAt = new LinkedHashMap<>();
    private final Map<Path, Integer> readUpTo = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param places log files, or folders whose every file is a log (jpm's and PM2's per-instance logs)
     * @param ready  a pattern whose group 1 is the worker's pid
     */
    ReadyWatch(List<Path> places, Pattern ready) {
        this.places = List.copyOf(places);
        this.ready = ready;
        this.thread = new Thread(this::pollUntilClosed, "ready-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void pollUntilClosed() {
        while (!stopped) {
            poll();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads what was appended to every log since the last poll. */
    private synchronized void poll() {
        double now = ProcFs.uptimeSeconds();
        for (Path log : logs()) {
            try {
                byte[] bytes = Files.readAllBytes(log);
                int from = readUpTo.getOrDefault(log, 0);
                // Only whole lines: a line still being written is read at the next poll.
                int to = lastNewline(bytes) + 1;
                if (to <= from) {
                    continue;
                }
                readUpTo.put(log, to);
                Matcher matcher = ready.matcher(new String(bytes, from, to - from, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    seenAt.putIfAbsent(Long.parseLong(matcher.group(1)), now);
                }
            } catch (IOException e) {
                // Not written yet: the next poll looks again.
            }
        }
    }

    private List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        for (Path place : places) {
            if (Files.isDirectory(place)) {
                try (Stream<Path> files = Files.list(place)) {
                    files.filter(Files::isRegularFile).sorted().forEach(logs::add);
                } catch (IOException e) {
                    // Gone or not there yet.
                }
            } else {
                logs.add(place);
            }
        }
        return logs;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The workers that said they are ready, in order. */
    synchronized List<Long> readyPids() {
        poll();
        return List.copyOf(seenAt.keySet());
    }

    /**
     * Milliseconds from each ready worker's spawn to its ready line; a worker already gone
     * has no spawn time left to read and is left out.
     */
    synchronized Map<Long, Long> spawnToReadyMillis() {
        Map<Long, Long> millis = new LinkedHashMap<>();
        seenAt.forEach((pid, at) -> ProcFs.startedSeconds(pid)
                .ifPresent(spawned -> millis.put(pid, Math.round((at - spawned) * 1000))));
        return millis;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
