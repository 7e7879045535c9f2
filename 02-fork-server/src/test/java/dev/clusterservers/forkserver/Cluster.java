package dev.clusterservers.forkserver;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.ProcessTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real master with real child JVMs (or the benchmark's one-JVM baseline), started the way a learner starts it, on a free port
 * ({@code --port 0}, read back from the printed line). {@link #close()} always leaves no
 * process behind: SIGTERM to the master, then SIGKILL to it and to every child PID it ever
 * printed or that was seen below it, even if a test failed half-way.
 */
public final class Cluster implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("running in PORT: (\\d+)");
    private static final Pattern CHILD = Pattern.compile("Child process created, PID: (\\d+)");
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Process master;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String name;
    private final Thread pump;
    /** If the JVM running the tests exits without close() (a benchmark trial that failed), the cluster still goes with it. */
    private final ProcessTree tree;
    private volatile int port = -1;

    private Cluster(Process master, String name) {
        this.master = master;
        this.name = name;
        this.tree = new ProcessTree(master.toHandle());
        this.pump = new Thread(this::pumpOutput, "cluster-output-" + master.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code ForkServer --port 0 <flags>} and waits until {@code children} children are ready. */
    public static Cluster start(int children, String... flags) throws IOException, InterruptedException {
        return launch(ForkServer.class, JvmSizing.MASTER, args(children, flags), CHILD, children, "master");
    }

    /** Starts {@code ForkServer --port 0 <flags>} and returns as soon as the master printed its port, before any child is ready. */
    public static Cluster startListening(int children, String... flags) throws IOException, InterruptedException {
        return launch(ForkServer.class, JvmSizing.MASTER, args(children, flags), PORT, 1, "master");
    }

    /** Starts {@code java -cp … ForkServer} the short way, with no heap flags, and waits until the children are ready. */
    public static Cluster startWithoutHeapFlags(int children, String... flags) throws IOException, InterruptedException {
        return launch(ForkServer.class, List.of(), args(children, flags), CHILD, children, "launcher");
    }

    private static List<String> args(int children, String... flags) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--workers", Integer.toString(children)));
        args.addAll(List.of(flags));
        return args;
    }

    /** Starts the benchmark's baseline: the same app served by Javalin in one JVM, no master. */
    public static Cluster direct() throws IOException, InterruptedException {
        return launch(DirectServer.class, JvmSizing.MASTER, List.of("--port", "0"), PORT, 1, "direct");
    }

    private static Cluster launch(Class<?> main, List<String> jvmFlags, List<String> args, Pattern ready, int count,
            String role) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Cluster cluster = new Cluster(process, role + " " + process.pid());
        try {
            cluster.awaitLines(ready, count, START_TIMEOUT);
        } catch (AssertionError | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public int port() {
        return port;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public Process master() {
        return master;
    }

    /** Every child PID the master announced, and every descendant seen so far. */
    public Set<Long> childPids() {
        return tree.seen();
    }

    /** The output so far, master and children together, as on a terminal. */
    public List<String> output() {
        return List.copyOf(lines);
    }

    /** Waits until {@code count} lines match; fails the test with the output if they do not in time. */
    public void awaitLines(Pattern pattern, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (countLines(pattern) < count) {
            if (System.nanoTime() > deadline || !master.isAlive() && countLines(pattern) < count) {
                throw new AssertionError(name + ": expected " + count + " lines matching '" + pattern
                        + "' within " + timeout.toSeconds() + " s; output:\n" + String.join("\n", lines));
            }
            Thread.sleep(50);
        }
    }

    public long countLines(Pattern pattern) {
        return lines.stream().filter(line -> pattern.matcher(line).find()).count();
    }

    /** SIGTERM, the way {@code kill PID} asks; returns the exit code, or fails if it does not exit in time. */
    public int terminate(Duration timeout) throws InterruptedException {
        tree.see(Set.of());
        // Through the ProcessHandle: Process.destroy() would also close our end of the
        // master's stdout, and we would miss everything it says while it stops.
        master.toHandle().destroy();
        if (!master.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s of SIGTERM");
        }
        // The output ends when the last process writing to it (children share it) has exited.
        pump.join(timeout.toMillis());
        return master.exitValue();
    }

    @Override
    public void close() {
        tree.stop(STOP_GRACE);
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                // Record what the line says before the line itself: a test that waited for the
                // line must find the port and the PID already there.
                Matcher port = PORT.matcher(line);
                if (this.port < 0 && port.find()) {
                    this.port = Integer.parseInt(port.group(1));
                }
                Matcher child = CHILD.matcher(line);
                if (child.find()) {
                    tree.see(Set.of(Long.parseLong(child.group(1))));
                }
                lines.add(line);
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // The master is gone; its output ended.
        }
    }
}
