package dev.clusterservers.beyondonemachine.lab;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the lab needs from this machine, checked before anything is made, each missing piece
 * named with what installs it: the lab must never stop half-built because a tool was absent.
 *
 * @param jpm    lesson 03's launcher script, which the lab runs as a user would
 * @param appJar the app's jar, {@code 04-beyond-one-machine/target/stateless-api.jar}
 */
public record Tools(Path jpm, Path appJar) {
    static final String NOT_ROOT = "the lab makes network namespaces, links and a bridge, which needs root (CAP_NET_ADMIN); "
            + "run it as root, e.g. `sudo 04-beyond-one-machine/lab up`";

    /** The launcher script passes both paths; the tests pass them as system properties too. */
    public static Tools fromSystemProperties() {
        return new Tools(Path.of(System.getProperty("lab.jpm", "03-process-manager/jpm")),
                Path.of(System.getProperty("lab.appJar", "04-beyond-one-machine/target/stateless-api.jar")));
    }

    /** Every problem at once, so one run tells the learner all there is to fix. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add(NOT_ROOT);
        }
        if (!Shell.onPath("ip")) {
            problems.add("`ip` is missing: apt-get install iproute2");
        }
        if (!Shell.onPath("haproxy")) {
            problems.add("`haproxy` is missing: apt-get install haproxy");
        }
        if (!Shell.onPath("redis-server")) {
            problems.add("`redis-server` is missing: apt-get install redis-server");
        }
        Path jpmJar = jpm.resolveSibling("target").resolve("03-process-manager.jar");
        if (!Files.isExecutable(jpm) || !Files.isRegularFile(jpmJar)) {
            problems.add("lesson 03's jpm is not built (" + jpmJar + "): run `./mvnw -q install -DskipTests` "
                    + "from the repository's root first");
        }
        if (!Files.isRegularFile(appJar)) {
            problems.add("the app's jar " + appJar + " is not built: run `./mvnw -q install -DskipTests` "
                    + "from the repository's root first");
        }
        return problems;
    }

    /** Root, read from the kernel's own record of this process rather than a guess from $USER. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // real, effective, saved, fs: the effective one
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }
}
