package dev.clusterservers.processmanager.it;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.cli.Cli;
import dev.clusterservers.processmanager.protocol.JsonLines;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real jpm in a private home directory: the CLI runs in the test's JVM, the daemon and the
 * apps are real processes. {@link #close()} stops them all, even after a failed test: it runs
 * {@code jpm kill}, then SIGKILLs every process whose command line names this home.
 */
final class JpmHarness implements AutoCloseable {
    /** Built by the package phase, before the integration tests run. */
    static final Path API_JAR = Path.of("target/api.jar").toAbsolutePath();
    static final Path APPS = Path.of("src/test/resources/apps").toAbsolutePath();
    /** Small, quickly started JVMs: the machine running the tests has few cores. */
    static final String TEST_JVM_ARGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m -Xss512k";
    static final long KILL_WAIT_SECONDS = 40;

    record Result(int code, String out, String err) {
        Result expectOk() {
            if (code != 0) {
                throw new AssertionError("jpm failed (" + code + "):\n" + out + err);
            }
            return this;
        }
    }

    final Path dir;
    final Home home;

    JpmHarness(Path dir) {
        this.dir = dir;
        this.home = new Home(dir.resolve("home"));
    }

    Result jpm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Cli(home, new PrintWriter(out, true), new PrintWriter(err, true)).run(args);
        return new Result(code, out.toString(), err.toString());
    }

    List<ProcessInfo> list() {
        Result result = jpm("list", "--json").expectOk();
        try {
            return JsonLines.JSON.readValue(result.out(), new TypeReference<List<ProcessInfo>>() { });
        } catch (IOException e) {
            throw new AssertionError("jpm list --json printed no JSON: " + result.out(), e);
        }
    }

    ProcessInfo describe(String target) {
        Result result = jpm("describe", target, "--json").expectOk();
        try {
            return JsonLines.JSON.readValue(result.out(), new TypeReference<List<ProcessInfo>>() { }).get(0);
        } catch (IOException e) {
            throw new AssertionError(result.out(), e);
        }
    }

    /** Writes an ecosystem file into the test's folder. */
    Path ecosystem(String json) throws IOException {
        Path file = dir.resolve("process.json");
        Files.writeString(file, json);
        return file;
    }

    /** The api app as the tutorial's process.json has it, on a free port, with small JVMs. */
    String apiApp(int instances, int port, String extra) {
        return "{\"script\":\"" + API_JAR + "\",\"instances\":\"" + instances + "\",\"exec_mode\":\"cluster\",\"port\":"
                + port + ",\"jvm_args\":\"" + TEST_JVM_ARGS + "\"" + extra + "}";
    }

    String daemonLog() throws IOException {
        return Files.exists(home.daemonLog()) ? Files.readString(home.daemonLog()) : "";
    }

    /** Every live process started for this home: the daemon ({@code --home}) and the apps (the agent's path). */
    Set<Long> processes() {
        Set<Long> pids = new HashSet<>();
        String marker = home.dir().toString();
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            proc.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // Gone meanwhile.
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        pids.remove(ProcessHandle.current().pid());
        return pids;
    }

    @Override
    public void close() {
        try {
            CompletableFuture.supplyAsync(() -> jpm("kill")).get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("jpm kill did not finish: " + e);
        }
        for (long pid : processes()) {
            System.err.println("left behind after jpm kill, SIGKILL: " + pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One GET on a new connection, as a load loop or curl makes it; the body, or an exception. */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("not a 200: " + response.lines().findFirst().orElse("(empty response)"));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /** The PID in "Hello from worker PID:1234". */
    static long pidOf(String body) {
        return Long.parseLong(body.substring(body.indexOf("PID:") + 4).trim());
    }
}
