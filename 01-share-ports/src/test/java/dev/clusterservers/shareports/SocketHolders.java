package dev.clusterservers.shareports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code ss -ltnp} says about a port: one entry per listening socket, with its holders. */
final class SocketHolders {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private SocketHolders() {
    }

    /** For each listening socket on {@code port}, the set of pids holding it. */
    static List<Set<Long>> listeningOn(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-H", "-l", "-t", "-n", "-p", "sport = :" + port)
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
            throw new IOException("ss failed: " + out);
        }
        List<Set<Long>> sockets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Set<Long> pids = new LinkedHashSet<>();
            Matcher matcher = PID.matcher(line);
            while (matcher.find()) {
                pids.add(Long.parseLong(matcher.group(1)));
            }
            sockets.add(pids);
        }
        return sockets;
    }
}
