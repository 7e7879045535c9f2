package dev.clusterservers.processmanager.bench;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.cli.Cli;
import dev.clusterservers.shareports.jvm.ChildJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The two ways the benchmarks run the same hello-world app with N instances on one port:
 * under jpm (cluster mode: the agent's SO_REUSEPORT, the daemon off the data path), or by
 * lesson 1's master ({@code 01-share-ports.jar}), the baseline.
 */
abstract class Cluster implements AutoCloseable {
    static final Path API_JAR = Path.of("target/api.jar").toAbsolutePath();
    static final Path SHARE_PORTS_JAR = Path.of("../01-share-ports/target/01-share-ports.jar").toAbsolutePath().normalize();
    /** The same JVM flags as lesson 1 gives its workers, so both sides run the same JVMs. */
    static final String APP_JVM_ARGS = "-XX:+UseSerialGC -Xms64m -Xmx256m";
    static final long START_TIMEOUT_MS = 120_000;

    final int port;

    Cluster(int port) {
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Under jpm: {@code jpm start} an ecosystem file with N cluster instances. With
     * {@code cliInProcess} false the CLI runs as its own JVM, as a user runs it, so the JVM that
     * measures (the load client) is the same in every trial: it never loads jpm's classes.
     */
    static final class UnderJpm extends Cluster {
        static final Path JPM_JAR = Path.of("target/03-process-manager.jar").toAbsolutePath();
        final Path dir;
        final Home home;
        final boolean cliInProcess;

        UnderJpm(int instances, boolean cliInProcess) throws IOException, InterruptedException {
            super(freePort());
            this.cliInProcess = cliInProcess;
            dir = Files.createTempDirectory("jpm-bench");
            home = new Home(dir.resolve("home"));
            Path file = dir.resolve("process.json");
            Files.writeString(file, "{\"apps\":[{\"name\":\"api\",\"script\":\"" + API_JAR + "\",\"instances\":" + instances
                    + ",\"exec_mode\":\"cluster\",\"port\":" + port + ",\"jvm_args\":\"" + APP_JVM_ARGS + "\"}]}");
            jpm("start", file.toString());
        }

        String jpm(String... args) throws IOException, InterruptedException {
            if (!cliInProcess) {
                List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary(), "-jar", JPM_JAR.toString()));
                command.addAll(List.of(args));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                builder.environment().put(Home.ENV, home.dir().toString());
                Process cli = builder.start();
                String out = new String(cli.getInputStream().readAllBytes());
                if (cli.waitFor() != 0) {
                    throw new IllegalStateException("jpm " + String.join(" ", args) + " failed: " + out);
                }
                return out;
            }
            StringWriter out = new StringWriter();
            int code = new Cli(home, new PrintWriter(out, true), new PrintWriter(out, true)).run(args);
            if (code != 0) {
                throw new IllegalStateException("jpm " + String.join(" ", args) + " failed: " + out);
            }
            return out.toString();
        }

        @Override
        public void close() throws IOException {
            try {
                jpm("kill");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Lesson 1's master with N workers, reuse-port strategy: the same kernel mechanism, no manager. */
    static final class UnderSharePorts extends Cluster {
        final Process master;

        UnderSharePorts(int instances, String strategy) throws IOException, InterruptedException {
            super(freePort());
            master = new ProcessBuilder(ChildJvm.javaBinary(), "-jar", SHARE_PORTS_JAR.toString(),
                    "--workers", Integer.toString(instances), "--strategy", strategy, "--port", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            awaitWorkers(instances);
        }

        /** Until N distinct worker PIDs have answered. */
        private void awaitWorkers(int instances) throws InterruptedException {
            java.util.Set<String> seen = new java.util.HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
            while (seen.size() < instances && System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
                    String response = new String(socket.getInputStream().readAllBytes());
                    seen.add(response.substring(response.indexOf("PID:") + 4).trim());
                } catch (IOException | RuntimeException e) {
                    Thread.sleep(100);
                }
            }
            if (seen.size() < instances) {
                throw new IllegalStateException("01-share-ports did not start " + instances + " workers");
            }
        }

        @Override
        public void close() throws IOException {
            master.destroy();
            try {
                if (!master.waitFor(30, TimeUnit.SECONDS)) {
                    master.destroyForcibly();
                }
            } catch (InterruptedException e) {
                master.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
