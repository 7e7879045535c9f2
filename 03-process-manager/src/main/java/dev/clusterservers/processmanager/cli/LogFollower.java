package dev.clusterservers.processmanager.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The instances' log files, read straight from the home directory and followed from where the
 * last read stopped: what {@code jpm logs -f} prints and {@code jpm monit}'s log pane shows.
 * Reading the files, not asking the daemon, keeps logs visible while the daemon is busy.
 */
final class LogFollower {
    static final Pattern FILE = Pattern.compile("(.+)-(\\d+)-(out|err)\\.log");

    /** One line of one instance's log, with PM2's prefix: {@code 0|api | } or {@code 0|api (err) | }. */
    record Line(String prefix, String text) {
        @Override
        public String toString() {
            return prefix + text;
        }
    }

    private final Path dir;
    private final String target;
    private final Map<Path, Long> positions = new HashMap<>();

    /** {@code target}: an app name or instance id, or null for every instance. */
    LogFollower(Path dir, String target) {
        this.dir = dir;
        this.target = target;
    }

    /** Matching files, each with its line prefix. */
    Map<Path, String> files() throws IOException {
        Map<Path, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        List<Path> all;
        try (Stream<Path> list = Files.list(dir)) {
            all = list.sorted().toList();
        }
        for (Path path : all) {
            Matcher m = FILE.matcher(path.getFileName().toString());
            if (m.matches() && (target == null || target.equals(m.group(1)) || target.equals(m.group(2)))) {
                files.put(path, m.group(2) + "|" + m.group(1) + (m.group(3).equals("err") ? " (err)" : "") + " | ");
            }
        }
        return files;
    }

    /** The last {@code count} lines of the file; from now on it is followed from its end. */
    List<Line> tail(Path file, String prefix, int count) throws IOException {
        Deque<Line> last = new ArrayDeque<>();
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                last.addLast(new Line(prefix, line));
                if (last.size() > count) {
                    last.removeFirst();
                }
            });
        }
        positions.put(file, Files.size(file));
        return new ArrayList<>(last);
    }

    /** Whole lines written since the last read, file by file; a file seen for the first time is read from its start. */
    List<Line> newLines() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<Path, String> file : files().entrySet()) {
            positions.put(file.getKey(), readFrom(file.getKey(), positions.getOrDefault(file.getKey(), 0L),
                    file.getValue(), lines));
        }
        return lines;
    }

    /** Adds what was appended since {@code position}; a file that shrank was rotated: start over. */
    private static long readFrom(Path file, long position, String prefix, List<Line> lines) throws IOException {
        long size = Files.size(file);
        if (size < position) {
            position = 0;
        }
        if (size == position) {
            return position;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(position);
            byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return position;
            }
            text.substring(0, end).lines().forEach(line -> lines.add(new Line(prefix, line)));
            return position + text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
