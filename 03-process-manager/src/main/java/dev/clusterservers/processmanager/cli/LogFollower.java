package dev.clusterservers.processmanager.cli;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
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
 * So nothing that reached a file is skipped, however many rotations happened since the last
 * look. Lines are read in pieces of bounded size: a line longer than {@link #MAX_LINE_BYTES}
 * (the daemon never writes one; another writer might) is shown in pieces.
 */
final class LogFollower implements AutoCloseable {
    static final Pattern FILE = Pattern.compile("(.+)-(\\d+)-(out|err)\\.log");
    static final int MAX_LINE_BYTES = 1 << 20;
    /** Rotated files are named {@code .1} (newest) up to this; the daemon keeps fewer. */
    private static final int MAX_ROTATED = 10;

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
    private final Map<Path, Followed> followed = new LinkedHashMap<>();

    /**
     * {@code target}: an app name or instance id, or null for every instance; {@code shown}: which
     * instances (by app name and id) count at all, e.g. only those the daemon still holds.
     */
    LogFollower(Path dir, String target, BiPredicate<String, Integer> shown) {
        this.dir = dir;
        this.target = target;
        this.shown = shown;
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

    /** The last {@code count} lines of the file; from now on it is followed from there. */
    List<Line> tail(Path file, String prefix, int count) throws IOException {
        Deque<Line> last = new ArrayDeque<>();
        follow(file, prefix).read(line -> {
            last.addLast(line);
            if (last.size() > count) {
                last.removeFirst();
            }
        });
        return new ArrayList<>(last);
    }

    /** Whole lines written since the last read, file by file; a file seen for the first time is read from its start. */
    List<Line> newLines() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<Path, String> file : files().entrySet()) {
            if (!followed.containsKey(file.getKey())) {
                follow(file.getKey(), file.getValue());
            }
        }
        for (Followed file : followed.values()) {
            file.read(lines::add);
        }
        return lines;
    }

    private Followed follow(Path file, String prefix) throws IOException {
        Followed f = followed.get(file);
        if (f == null) {
            f = new Followed(file, prefix);
            followed.put(file, f);
        }
        return f;
    }

    @Override
    public void close() {
        followed.values().forEach(Followed::close);
        followed.clear();
    }

    /** One log file followed by name: the file under that name now, or one it was renamed to. */
    private static final class Followed {
        private final Path path;
        private final String prefix;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[64 * 1024];
        private RandomAccessFile file;
        private Object fileKey;

        Followed(Path path, String prefix) {
            this.path = path;
            this.prefix = prefix;
        }

        /** Everything new: the rest of the file held open, and of each file that came after it. */
        void read(Consumer<Line> lines) throws IOException {
            if (file == null && !open(path)) {
                return;
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
                lines.accept(Line.notice("==> " + path.getFileName() + " was rotated; now reading " + next.name() + " <=="));
            }
        }

        /** A file held open, the name it had when opened, and which file it is. */
        private record Opened(RandomAccessFile file, Path name, Object key) {
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
                    return new Opened(opened, chain.get(next), keys.get(next));
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

        private boolean open(Path name) throws IOException {
            for (int attempt = 0; attempt < 3; attempt++) {
                Object before = key(name);
                if (before == null) {
                    return false;
                }
                RandomAccessFile opened;
                try {
                    opened = new RandomAccessFile(name.toFile(), "r");
                } catch (IOException e) {
                    continue;
                }
                // A rotation between the look and the open would leave us unsure which file we hold.
                if (before.equals(key(name))) {
                    file = opened;
                    fileKey = before;
                    return true;
                }
                opened.close();
            }
            return false;
        }

        private void drain(Consumer<Line> lines) throws IOException {
            int n;
            while ((n = file.read(buffer)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        partial.write(buffer, start, i - start);
                        lines.accept(new Line(prefix, partial.toString(StandardCharsets.UTF_8)));
                        partial.reset();
                        start = i + 1;
                    } else if (partial.size() + (i - start) >= MAX_LINE_BYTES) {
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
}
