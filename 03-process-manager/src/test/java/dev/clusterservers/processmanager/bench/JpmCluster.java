package dev.clusterservers.processmanager.bench;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * N cluster-mode instances of the example app, started by {@code jpm start} in a jpm home of
 * their own. The CLI runs inside the benchmark's JVM, so what a benchmark times is the
 * daemon's work, not the start-up of a CLI JVM.
 */
final class JpmCluster implements AutoCloseable {
    static final Path API_JAR = Path.of("target/api.jar").toAbsolutePath();
    /** The flags the cross-lesson comparison gives jpm's instances, so the two measure the same JVMs. */
    static final String APP_JVM_ARGS = "-XX:+UseSerialGC -Xms64m -Xmx256m";

    private final Path dir;
    private final Home home;

    JpmCluster(int instances) throws IOException {
        dir = Files.createTempDirectory("jpm-bench");
        home = new Home(dir.resolve("home"));
        Path file = dir.resolve("process.json");
        Files.writeString(file, "{\"apps\":[{\"name\":\"api\",\"script\":\"" + API_JAR + "\",\"instances\":" + instances
                + ",\"exec_mode\":\"cluster\",\"port\":" + freePort() + ",\"jvm_args\":\"" + APP_JVM_ARGS + "\"}]}");
        jpm("start", file.toString());
    }

    String jpm(String... args) {
        StringWriter out = new StringWriter();
        int code = new Cli(home, new PrintWriter(out, true), new PrintWriter(out, true)).run(args);
        if (code != 0) {
            throw new IllegalStateException("jpm " + String.join(" ", args) + " failed: " + out);
        }
        return out.toString();
    }

    /** {@code jpm kill} stops every instance and the daemon; then the private home goes. */
    @Override
    public void close() throws IOException {
        jpm("kill");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
