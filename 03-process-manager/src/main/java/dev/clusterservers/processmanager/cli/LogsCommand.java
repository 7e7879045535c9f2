package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.JpmExit;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpm logs [api] [--lines 20] [--follow]}: reads the log files in the home directory
 * directly, so it works even while the daemon is busy, and prefixes each line with the
 * instance, PM2's way ({@code 0|api | ...}).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the last lines of each instance's stdout and stderr; --follow streams new ones.")
final class LogsCommand extends ClientCommand {
    static final Pattern FILE = Pattern.compile("(.+)-(\\d+)-(out|err)\\.log");
    /** How often --follow looks for new lines. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(200);

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|ID", description = "an app name or an instance id (default: all)")
    String target;

    @Option(names = "--lines", defaultValue = "15", description = "lines of each file to print first (default: ${DEFAULT-VALUE})")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until interrupted")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        Map<Path, String> files = files();
        if (files.isEmpty()) {
            context.err.println("[jpm] no logs" + (target == null ? "" : " for " + target) + " in " + context.home.logs());
            return JpmExit.FAILED;
        }
        Map<Path, Long> positions = new LinkedHashMap<>();
        for (Map.Entry<Path, String> file : files.entrySet()) {
            context.out.println("==> " + file.getKey() + " <==");
            for (String line : tail(file.getKey(), lines)) {
                context.out.println(file.getValue() + line);
            }
            positions.put(file.getKey(), Files.size(file.getKey()));
        }
        context.out.flush();
        while (follow && !Thread.currentThread().isInterrupted()) {
            DaemonClient.sleep(FOLLOW_POLL);
            for (Map.Entry<Path, String> file : files().entrySet()) {
                positions.put(file.getKey(), printFrom(file.getKey(), positions.getOrDefault(file.getKey(), 0L), file.getValue()));
            }
            context.out.flush();
        }
        return JpmExit.OK;
    }

    /** Matching files, each with its line prefix: {@code 0|api | }. */
    private Map<Path, String> files() throws IOException {
        Map<Path, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(context.home.logs())) {
            return files;
        }
        List<Path> all;
        try (Stream<Path> list = Files.list(context.home.logs())) {
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

    static List<String> tail(Path file, int count) throws IOException {
        Deque<String> last = new ArrayDeque<>();
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                last.addLast(line);
                if (last.size() > count) {
                    last.removeFirst();
                }
            });
        }
        return new ArrayList<>(last);
    }

    /** Prints what was appended since {@code position}; a file that shrank was rotated: start over. */
    private long printFrom(Path file, long position, String prefix) throws IOException {
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
            text.substring(0, end).lines().forEach(line -> context.out.println(prefix + line));
            return position + text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
