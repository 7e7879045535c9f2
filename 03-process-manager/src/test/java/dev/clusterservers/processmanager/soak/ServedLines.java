package dev.clusterservers.processmanager.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Adds up the example app's last lines, "Worker PID: N stopped after serving M requests", in a jpm logs folder. */
public final class ServedLines {
    static final Pattern SERVED = Pattern.compile("Worker PID: (\\d+) stopped after serving (\\d+) requests");

    private ServedLines() {
    }

    public static long sum(Path logs) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Matcher m = SERVED.matcher(Files.readString(file));
                while (m.find()) {
                    total += Long.parseLong(m.group(2));
                }
            }
        }
        return total;
    }

    public static void main(String[] args) throws IOException {
        System.out.println(sum(Path.of(args[0])));
    }
}
