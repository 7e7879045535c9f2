package dev.clusterservers.beyondonemachine.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A new release across every host without failing a request: one host at a time, the load
 * balancer first stops sending it work, then the host is reloaded, checked, and given work
 * again. This is the loop every deploy tool runs (a Kubernetes rolling update, a Capistrano
 * or Ansible rolling play), written out so each step shows:
 *
 * <ol>
 *   <li><b>drain</b>: {@code set server api/h1 state drain}: HAProxy sends h1 no new request, and
 *       the ones under way finish;</li>
 *   <li><b>wait for 0 sessions</b>: {@code show stat}'s {@code scur} for h1 reaches 0;</li>
 *   <li><b>ship and reload</b>: the release's jar replaces h1's, and {@code jpm reload api}
 *       replaces each instance (itself without downtime: belt and braces);</li>
 *   <li><b>check</b>: h1 answers with the new release on its own address;</li>
 *   <li><b>ready</b>: {@code set server api/h1 state ready}, and wait until HAProxy's health check
 *       sees it UP; only then the next host, so at most one host is ever out.</li>
 * </ol>
 *
 * <p>{@link Strategy#ALL_AT_ONCE} and {@link Strategy#NO_DRAIN} are the naive ways, kept so the
 * lesson can measure what the steps above buy.
 */
public final class RollingDeploy {
    static final Duration SESSIONS_DRAIN_WITHIN = Duration.ofSeconds(30);
    static final Duration UP_WITHIN = Duration.ofSeconds(60);
    static final Duration EVERY_HOST_UP_WITHIN = Duration.ofSeconds(15);

    /** How a deploy replaces the hosts' processes. */
    public enum Strategy {
        /** Drain in HAProxy, {@code jpm reload}, check, ready: one host at a time. */
        ROLLING,
        /** Stop the app, then start the new release, one host at a time, without telling HAProxy. */
        NO_DRAIN,
        /** Stop and start on every host at the same moment. */
        ALL_AT_ONCE
    }

    private final LabPlan plan;
    private final LabHome home;
    private final Hosts hosts;
    private final Haproxy haproxy;
    private final Consumer<String> say;

    public RollingDeploy(LabPlan plan, LabHome home, Tools tools, Consumer<String> say) {
        this.plan = plan;
        this.home = home;
        this.hosts = new Hosts(plan, home, tools);
        this.haproxy = new Haproxy(home);
        this.say = say;
    }

    /** Deploys {@code release} (a jar from {@link Releases#stamp}) as {@code version}; one deploy at a time. */
    public void deploy(Path release, String version, Strategy strategy) throws IOException {
        try (FileChannel lockFile = FileChannel.open(home.deployLock(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new LabControl.LabException("a deploy is already running (" + holder(lockFile)
                        + "); wait for it to finish, then deploy again");
            }
            lockFile.truncate(0).write(ByteBuffer.wrap(("PID " + ProcessHandle.current().pid() + ", deploying " + version
                    + " since " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)).getBytes(StandardCharsets.UTF_8)));
            if (strategy == Strategy.ROLLING) {
                requireEveryHostUp();
            }
            long started = System.nanoTime();
            switch (strategy) {
                case ROLLING -> plan.hostNames().forEach(host -> unchecked(() -> rollOne(host, release, version)));
                case NO_DRAIN -> plan.hostNames().forEach(host -> unchecked(() -> stopAndStartOne(host, release, version)));
                case ALL_AT_ONCE -> allAtOnce(release, version);
            }
            say.accept("deploy of " + version + " done in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * A rolling deploy takes one host out at a time and needs every other to carry the load. A
     * host whose check just failed once (a busy machine answers late) gets a few seconds to pass
     * again; a host that stays down stops the deploy before it touches anything.
     */
    private void requireEveryHostUp() throws IOException {
        try {
            haproxy.await(s -> s.status().equals("UP"), "every host UP", EVERY_HOST_UP_WITHIN);
        } catch (IOException e) {
            List<String> notUp = RuntimeApi.named(haproxy.api().servers(), s -> !s.status().equals("UP"));
            throw new LabControl.LabException("not every host is UP in HAProxy (" + String.join(", ", notUp)
                    + "): a rolling deploy takes one host out at a time and needs the others to carry the load; "
                    + "`lab heal` first");
        }
    }

    private void rollOne(String host, Path release, String version) throws IOException {
        long started = System.nanoTime();
        haproxy.api().setState(host, "drain");
        say.accept(host + ": drain (HAProxy sends it no new request)");
        haproxy.await(s -> !s.host().equals(host) || s.sessions() == 0, host + " at 0 sessions", SESSIONS_DRAIN_WITHIN);
        say.accept(host + ": 0 sessions; shipping " + version + " and running `jpm reload api`");
        hosts.install(host, release);
        hosts.reload(host);
        String answered = releaseAnsweredBy(host);
        if (!answered.equals(version)) {
            throw new LabControl.LabException(host + " answers with release " + answered + " after its reload, not " + version
                    + "; it stays drained: see " + home.jpmHome(host).resolve("daemon.log"));
        }
        haproxy.api().setState(host, "ready");
        haproxy.await(s -> !s.host().equals(host) || s.status().equals("UP"), host + " UP", UP_WITHIN);
        say.accept(host + ": answers " + version + ", ready, UP in HAProxy (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    private void stopAndStartOne(String host, Path release, String version) throws IOException {
        hosts.install(host, release);
        say.accept(host + ": stop, then start " + version + " (`jpm delete api`, `jpm start`; HAProxy is not told)");
        hosts.stopAndStart(host);
        say.accept(host + ": started");
    }

    private void allAtOnce(Path release, String version) throws IOException {
        for (String host : plan.hostNames()) {
            hosts.install(host, release);
        }
        say.accept("every host: stop, then start " + version + " at the same moment");
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        for (String host : plan.hostNames()) {
            restarts.add(CompletableFuture.runAsync(() -> hosts.stopAndStart(host)));
        }
        CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).join();
        say.accept("every host started");
    }

    /** Asks the host itself, on its own address, which release it runs. */
    private String releaseAnsweredBy(String host) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + plan.hostAddress(host) + ":" + plan.appPort() + "/"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return response.headers().firstValue("X-Release").orElse("(none)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String holder(FileChannel lockFile) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            lockFile.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "another process";
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private static void unchecked(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
