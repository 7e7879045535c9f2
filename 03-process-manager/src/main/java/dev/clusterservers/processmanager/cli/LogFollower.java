package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.logs.LogFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The instances' log files, read straight from the home directory and followed as
 * {@code tail -F} does: what {@code jpm logs} prints and {@code jpm monit}'s log pane shows.
 * Reading the files, not asking the daemon, keeps logs visible while the daemon is busy.
 *
 * <p>Each file is followed by name, not by position: the follower keeps the file it reads
 * open, and when the name now belongs to another file (the daemon rotated it), it first reads
 * the old one to its end (still possible through the open file, even after a rename), then
 * goes on with the file that came next, {@code api-0-out.log.N} or the new {@code api-0-out.log}.
 * So nothing that reached a file is skipped, unless the daemon rotated it away before the
 * follower got to it ({@link LogFile#KEEP} files are kept); then the follower says which time
 * span may be missing. Lines are read in pieces of bounded size: a line longer than
 * {@link #MAX_LINE_BYTES} (the daemon never writes one; another writer might) is shown in pieces.
 *
 * <p>Where following starts is a time, not a position: {@code since}, when the command began.
 * A JVM takes a second to start, and an app that writes 50 MB/s fills and rotates a file or two
 * in that second; so the follower finds the first line the daemon stamped at or after
 * {@code since} (in the file, or in one rotated since), starts there, and shows the lines
 * before it only as the last {@code count} of {@link #tail}.
 */
final class LogFollower implements AutoCloseable {
    static final Pattern FILE = Pattern.compile("(.+)-(\\d+)-(out|err)\\.log");
    static final int MAX_LINE_BYTES = 1 << 20;

    /**
     * One line of one instance's log, with PM2's prefix: {@code 0|api | } or {@code 0|api (err) | };
     * or, with no prefix, the follower's own notice that a file was rotated.
     */
    record Line(String prefix, String text) {
        static Line notice(String text) {
            return new Line(null, text);
        }

        boolean isNotice() {
            return prefix == null;
        }

        @Override
        public String toString() {
            return isNotice() ? text : prefix + text;
        }
    }

    private final Path dir;
    private final String target;
    private final BiPredicate<String, Integer> shown;
    private final String since;
    private final Map<Path, FollowedFile> followed = new LinkedHashMap<>();

    /**
     * {@code target}: an app name or instance id, or null for every instance; {@code shown}: which
     * instances (by app name and id) count at all, e.g. only those the daemon still holds;
     * {@code since}: every line stamped from then on is new, or null for none of what the files
     * hold when first read ({@code --nostream}: the last lines there are).
     */
    LogFollower(Path dir, String target, BiPredicate<String, Integer> shown, Instant since) {
        this.dir = dir;
        this.target = target;
        this.shown = shown;
        this.since = since == null ? null : LocalDateTime.ofInstant(since, ZoneId.systemDefault()).format(LogFile.STAMP);
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
            if (m.matches() && (target == null || target.equals(m.group(1)) || target.equals(m.group(2)))
                    && shown.test(m.group(1), Integer.parseInt(m.group(2)))) {
                files.put(path, m.group(2) + "|" + m.group(1) + (m.group(3).equals("err") ? " (err)" : "") + " | ");
            }
        }
        return files;
    }

    /**
     * The last {@code count} lines stamped before {@code since}; from now on the file is followed
     * from the first line after them, which {@link #newLines} returns.
     */
    List<Line> tail(Path file, String prefix, int count) throws IOException {
        return follow(file, prefix).start(count);
    }

    /** Whole lines written since the last read, file by file; a file seen for the first time is read from {@code since}. */
    List<Line> newLines() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<Path, String> file : files().entrySet()) {
            if (!followed.containsKey(file.getKey())) {
                follow(file.getKey(), file.getValue());
            }
        }
        for (FollowedFile file : followed.values()) {
            file.read(lines::add);
        }
        return lines;
    }

    private FollowedFile follow(Path file, String prefix) {
        return followed.computeIfAbsent(file, f -> new FollowedFile(f, prefix, since));
    }

    @Override
    public void close() {
        followed.values().forEach(FollowedFile::close);
        followed.clear();
    }
}
