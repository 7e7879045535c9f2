package dev.clusterservers.shareports;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.ProcessTree;
import dev.clusterservers.shareports.sharing.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real master JVM started for a test, with its log in a file. {@link #close()} always
 * leaves no process behind: SIGTERM, then SIGKILL to the master and to every worker pid it
 * ever saw, even when the test failed half-way.
 */
public final class ClusterProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("running in PORT: (\\d+)");
    private static final Pattern WORKER = Pattern.compile("Worker created, PID: (\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Process master;
    private final Path log;
    /** Kills everything also if this JVM exits before {@link #close()} (a JMH fork stopped by SIGTERM, say). */
    private final ProcessTree tree;
    private int port;

    private ClusterProcess(Process master, Path log) {
        this.master = master;
        this.log = log;
        this.tree = new ProcessTree(master.toHandle());
    }

    /** Starts a master with these flags (plus {@code --port 0}) and does not wait for it. */
    public static ClusterProcess launch(String... flags) throws IOException {
        Path log = Files.createTempFile("share-ports-", ".log");
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(List.of(flags));
        return launchExactly(log, args);
    }

    /** Starts a master with exactly these flags. */
    public static ClusterProcess launchExactly(Path log, List<String> args) throws IOException {
        return launchJvm(log, ChildJvm.REQUIRED_FLAGS, args);
    }

    /** Starts {@link SharePorts} in a JVM with these JVM flags and program arguments. */
    public static ClusterProcess launchJvm(Path log, List<String> jvmFlags, List<String> args) throws IOException {
        Process master = new ProcessBuilder(ChildJvm.command(SharePorts.class, jvmFlags, args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ClusterProcess(master, log);
    }

    /** For a JVM that does not print the master's port line: the port it serves. */
    public void usePort(int port) {
        this.port = port;
    }

    /** Starts a cluster (with any further flags, e.g. {@code --store}) and waits until every worker said it serves. */
    public static ClusterProcess start(Strategy strategy, int workers, String... moreFlags) throws IOException {
        List<String> flags = new ArrayList<>(List.of("--strategy", strategy.flag(), "--workers", Integer.toString(workers)));
        flags.addAll(List.of(moreFlags));
        ClusterProcess cluster = launch(flags.toArray(String[]::new));
        try {
            cluster.awaitWorkers(workers);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Waits until {@code count} distinct "Worker created" lines were logged; returns their pids. */
    public List<Long> awaitWorkers(int count) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            List<Long> pids = workerPids();
            if (pids.size() >= count && port() > 0) {
                return pids;
            }
            if (!master.isAlive()) {
                throw new AssertionError("the master exited with " + master.exitValue() + " before "
                        + count + " workers started:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + pids.size() + " of " + count + " workers started in "
                        + START_TIMEOUT + ":\n" + output());
            }
            sleep(100);
        }
    }

    /** Waits for a log line matching {@code regex}; returns the match. */
    public Matcher awaitLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(output());
            if (matcher.find()) {
                return matcher;
            }
            sleep(100);
        }
        throw new AssertionError("no log line matched /" + regex + "/ in " + timeout + ":\n" + output());
    }

    public int port() {
        if (port == 0) {
            Matcher matcher = PORT.matcher(output());
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
            }
        }
        return port;
    }

    /** Every worker pid logged so far, in order, including replaced ones. */
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        Matcher matcher = WORKER.matcher(output());
        while (matcher.find()) {
            long pid = Long.parseLong(matcher.group(1));
            if (!pids.contains(pid)) {
                pids.add(pid);
            }
        }
        tree.see(pids);
        return pids;
    }

    public Process master() {
        return master;
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One GET on a new connection, so that every request is a new chance for another worker. */
    public Response get(String path) throws IOException {
        return get(path, null);
    }

    /** One GET on a new connection that sends {@code cookie} ({@code name=value}), as a browser would. */
    public Response get(String path, String cookie) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port() + path).toURL().openConnection();
        connection.setRequestProperty("Connection", "close");
        if (cookie != null) {
            connection.setRequestProperty("Cookie", cookie);
        }
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        try {
            int status = connection.getResponseCode();
            String body = new String((status < 400 ? connection.getInputStream() : connection.getErrorStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
            String pid = connection.getHeaderField("X-Worker-Pid");
            String setCookie = connection.getHeaderField("Set-Cookie");
            return new Response(status, body, pid == null ? -1 : Long.parseLong(pid),
                    setCookie == null ? null : setCookie.split(";", 2)[0]);
        } finally {
            connection.disconnect();
        }
    }

    /** {@code setCookie}: the {@code name=value} of the answer's Set-Cookie header, or null. */
    public record Response(int status, String body, long workerPid, String setCookie) { }

    /** True once no process this cluster ever started is alive. */
    public boolean allGone() {
        workerPidsQuietly();
        return !master.isAlive() && tree.seen().stream().noneMatch(ClusterProcess::alive);
    }

    public Set<Long> seenPids() {
        workerPidsQuietly();
        return tree.seen();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void close() {
        workerPidsQuietly();
        tree.stop(STOP_GRACE);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A temp file left behind is harmless.
        }
    }

    private void workerPidsQuietly() {
        try {
            workerPids();
        } catch (UncheckedIOException e) {
            // The log is gone; the pids seen so far are what we have.
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
