package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.cli.LogFollower.Line;
import dev.clusterservers.processmanager.logs.LogFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One log file that {@link LogFollower} follows by name, as {@code tail -F} does: the file
 * under that name now, or one it was renamed to. It keeps the file it reads open; when the name
 * belongs to another file (the daemon rotated it), it reads the old one to its end, then goes
 * on with the file written next, and says so in a notice {@link Line}.
 */
final class FollowedFile {
    /** What the daemon puts before every line ({@link LogFile#STAMP}): {@code 2026-11-24 04:19:47.698}. */
    private static final Pattern STAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    private static final int STAMP_LENGTH = 23;
    /** Rotated files are named {@code .1} (newest) up to this; the daemon keeps fewer. */
    private static final int MAX_ROTATED = 10;

    private final Path path;
    private final String prefix;
    private final String since;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[64 * 1024];
    private RandomAccessFile file;
    private Object fileKey;
    /** The last whole line read, for the time span a notice of lines lost names. */
    private String lastLine;

    FollowedFile(Path path, String prefix, String since) {
        this.path = path;
        this.prefix = prefix;
        this.since = since;
    }

    /** The last {@code count} lines from before {@code since}; then the file is held at the first line after them. */
    List<Line> start(int count) throws IOException {
        if (file != null) {
            return List.of();
        }
        // Newest to oldest: the file under the name, then .1, .2 ... The first one that began
        // before `since` holds the first line from `since` on; if none did, the oldest does.
        Opened start = null;
        for (int i = 0; i <= MAX_ROTATED; i++) {
            Opened older = open(i == 0 ? path : Path.of(path + "." + i));
            if (older == null) {
                break;
            }
            if (start != null) {
                start.file().close();
            }
            start = older;
            String first = since == null ? null : firstStamp(start.file());
            if (since == null || first != null && first.compareTo(since) < 0) {
                break;
            }
        }
        if (start == null) {
            return List.of();
        }
        file = start.file();
        fileKey = start.key();
        return skipToSince(count);
    }

    /**
     * Moves the held file to its first line stamped at or after {@code since} (or to the end of
     * its whole lines), and returns the last {@code count} lines before that. Only the offsets of
     * those lines are remembered on the way, so a 10 MiB file costs one read and little memory.
     */
    private List<Line> skipToSince(int count) throws IOException {
        Deque<Long> starts = new ArrayDeque<>();
        byte[] head = new byte[STAMP_LENGTH];
        int headLength = 0;
        long lineStart = 0;
        long position = 0;
        long boundary = -1;
        file.seek(0);
        int n;
        scan:
        while ((n = file.read(buffer)) > 0) {
            for (int i = 0; i < n; i++, position++) {
                if (buffer[i] != '\n') {
                    if (headLength < STAMP_LENGTH) {
                        head[headLength++] = buffer[i];
                    }
                    continue;
                }
                if (isStampedSince(head, headLength)) {
                    boundary = lineStart;
                    break scan;
                }
                starts.addLast(lineStart);
                if (starts.size() > count) {
                    starts.removeFirst();
                }
                lineStart = position + 1;
                headLength = 0;
            }
        }
        // No line from `since` on yet: start after the last whole line (a piece being written is read when whole).
        if (boundary < 0) {
            boundary = lineStart;
        }
        List<Line> before = new ArrayList<>();
        if (!starts.isEmpty()) {
            byte[] bytes = new byte[(int) (boundary - starts.getFirst())];
            file.seek(starts.getFirst());
            file.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                before.add(new Line(prefix, line));
            }
        }
        file.seek(boundary);
        return before;
    }

    private boolean isStampedSince(byte[] head, int length) {
        if (since == null || length < STAMP_LENGTH) {
            return false;
        }
        String stamp = new String(head, 0, STAMP_LENGTH, StandardCharsets.ISO_8859_1);
        return STAMP.matcher(stamp).matches() && stamp.compareTo(since) >= 0;
    }

    /** The stamp the file's first line begins with; null if it has none (yet). The position is left anywhere. */
    private static String firstStamp(RandomAccessFile file) throws IOException {
        byte[] head = new byte[STAMP_LENGTH];
        file.seek(0);
        int read = file.read(head);
        String stamp = read == STAMP_LENGTH ? new String(head, StandardCharsets.ISO_8859_1) : "";
        return STAMP.matcher(stamp).matches() ? stamp : null;
    }

    /** Everything new: the rest of the file held open, and of each file that came after it. */
    void read(Consumer<Line> lines) throws IOException {
        if (file == null) {
            start(0);
            if (file == null) {
                return;
            }
        }
        while (true) {
            // Opened before the held file is read to its end: once the name has moved on, the
            // held file is complete, and holding the next one open pins it, however many
            // rotations rename it while we read.
            Opened next = successor();
            drain(lines);
            if (next == null) {
                return;
            }
            flushPartial(lines);
            file.close();
            file = next.file();
            fileKey = next.key();
            lines.accept(Line.notice(next.afterLoss() ? lossNotice(next)
                    : "==> " + path.getFileName() + " was rotated; now reading " + next.name() + " <=="));
        }
    }

    /**
     * The file held was rotated away entirely ({@link LogFile#KEEP} more rotations came) before
     * the follower read on: files between it and the oldest left may be gone unread. Which ones
     * cannot be known from the names, but the stamps say which span of time they held.
     */
    private String lossNotice(Opened next) throws IOException {
        String from = lastLine == null || lastLine.length() < STAMP_LENGTH ? null : lastLine.substring(0, STAMP_LENGTH);
        String to = firstStamp(next.file());
        next.file().seek(0);
        String span = from != null && STAMP.matcher(from).matches() && to != null
                ? "lines the daemon read between " + from + " and " + to : "some lines";
        return "==> " + path.getFileName() + " was rotated faster than it was read: " + span
                + " may be missing; now reading " + next.name() + " <==";
    }

    /**
     * A file held open, the name it had when opened, and which file it is; {@code afterLoss}: the
     * file before it had been rotated away before it was read to its end.
     */
    private record Opened(RandomAccessFile file, Path name, Object key, boolean afterLoss) {
    }

    /** The file written after the one held, opened, if the daemon has rotated since; null if none yet. */
    private Opened successor() throws IOException {
        Object current = key(path);
        if (current == null || current.equals(fileKey)) {
            return null;
        }
        // path.N ... path.1, path: oldest to newest. The one after ours comes next.
        List<Path> chain = new ArrayList<>();
        for (int i = MAX_ROTATED; i >= 1; i--) {
            chain.add(Path.of(path + "." + i));
        }
        chain.add(path);
        for (int attempt = 0; attempt < 100; attempt++) {
            List<Object> keys = stableKeys(chain);
            int ours = keys.indexOf(fileKey);
            int next = -1;
            // After ours; or, if ours was rotated out of existence, the oldest that is left.
            for (int j = ours + 1; j < chain.size() && next < 0; j++) {
                if (keys.get(j) != null) {
                    next = j;
                }
            }
            if (next < 0) {
                return null;
            }
            RandomAccessFile opened;
            try {
                opened = new RandomAccessFile(chain.get(next).toFile(), "r");
            } catch (IOException e) {
                continue;
            }
            // The name may have moved on between the look and the open: then look again.
            if (keys.get(next).equals(key(chain.get(next)))) {
                return new Opened(opened, chain.get(next), keys.get(next), ours < 0);
            }
            opened.close();
        }
        return null;
    }

    /**
     * Which file each name holds, read twice until both reads agree. A rotation renames every
     * name in turn while we look; one read could see a file both before and after it moved on,
     * or miss one, and the follower would then skip a whole file. Rotations are megabytes apart,
     * so the reads agree at once but for the rare look that meets one.
     */
    private static List<Object> stableKeys(List<Path> chain) {
        List<Object> keys = keys(chain);
        for (int attempt = 0; attempt < 100; attempt++) {
            List<Object> again = keys(chain);
            if (again.equals(keys)) {
                return keys;
            }
            keys = again;
        }
        return keys;
    }

    private static List<Object> keys(List<Path> chain) {
        List<Object> keys = new ArrayList<>(chain.size());
        for (Path name : chain) {
            keys.add(key(name));
        }
        return keys;
    }

    /** The file under this name, opened, and which file it is; null if there is none. */
    private static Opened open(Path name) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Object before = key(name);
            if (before == null) {
                return null;
            }
            RandomAccessFile opened;
            try {
                opened = new RandomAccessFile(name.toFile(), "r");
            } catch (IOException e) {
                continue;
            }
            // A rotation between the look and the open would leave us unsure which file we hold.
            if (before.equals(key(name))) {
                return new Opened(opened, name, before, false);
            }
            opened.close();
        }
        return null;
    }

    private void drain(Consumer<Line> lines) throws IOException {
        int n;
        while ((n = file.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    partial.write(buffer, start, i - start);
                    lastLine = partial.toString(StandardCharsets.UTF_8);
                    lines.accept(new Line(prefix, lastLine));
                    partial.reset();
                    start = i + 1;
                } else if (partial.size() + (i - start) >= LogFollower.MAX_LINE_BYTES) {
                    partial.write(buffer, start, i - start);
                    flushPartial(lines);
                    start = i;
                }
            }
            partial.write(buffer, start, n - start);
        }
    }

    private void flushPartial(Consumer<Line> lines) {
        if (partial.size() > 0) {
            lines.accept(new Line(prefix, partial.toString(StandardCharsets.UTF_8)));
            partial.reset();
        }
    }

    private static Object key(Path name) {
        try {
            return Files.readAttributes(name, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Read-only; nothing to lose.
            }
            file = null;
        }
    }
}
