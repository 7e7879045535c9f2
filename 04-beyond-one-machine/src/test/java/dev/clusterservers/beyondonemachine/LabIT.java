package dev.clusterservers.beyondonemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusterservers.beyondonemachine.lab.Network;
import dev.clusterservers.beyondonemachine.lab.Shell;
import dev.clusterservers.beyondonemachine.lab.Tools;
import dev.clusterservers.beyondonemachine.load.LoadClient;
import dev.clusterservers.beyondonemachine.load.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One lab of 3 hosts (1 instance each, to spare CI's 2 cores), built with {@code lab up}, used
 * by every test in turn, and taken down with {@code lab down}, after which no namespace, link,
 * process or file of it may be left. Its name, subnet and port are its own, so it never meets a
 * learner's lab. Needs root, haproxy and redis-server (CI installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LabIT {
    private static final Random RANDOM = new Random();
    private static final String NAME = "t" + Integer.toString(1000 + RANDOM.nextInt(8999));
    private static final String SUBNET = "10.77." + (100 + RANDOM.nextInt(150));
    private static Path home;
    private static LabCommand lab;
    private static int port;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(Tools.isRoot(), "the lab makes network namespaces: run as root (CI does)");
        assumeTrue(Shell.onPath("haproxy") && Shell.onPath("redis-server"), "needs haproxy and redis-server (apt-get install haproxy redis-server)");
        home = Files.createTempDirectory("lab-it");
        lab = new LabCommand(home);
        port = freePort();
        Shell.Result up = lab.run("up", "--name", NAME, "--subnet", SUBNET, "--port", Integer.toString(port), "--instances", "1");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("host h1: namespace " + NAME + "-h1, " + SUBNET + ".11", "every host passes HAProxy's health check",
                "curl http://127.0.0.1:" + port + "/");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab == null) {
            return;
        }
        try {
            Shell.Result down = lab.run("down");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(Network.namespaces(NAME + "-")).as("namespaces left").isEmpty();
            assertThat(Network.links(NAME + "-")).as("links left").isEmpty();
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(home.toString())))
                    .as("processes left").isEmpty();
            assertThat(home).doesNotExist();
        } finally {
            Network.sweep(NAME + "-"); // whatever happened above, this machine keeps nothing of the test's lab
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Order(1)
    void requestsReachEveryHostThroughHaproxy() throws Exception {
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            hosts.add(get("/").headers.get("X-Lab-Host"));
        }
        assertThat(hosts).containsExactlyInAnyOrder("h1", "h2", "h3");
    }

    @Test
    @Order(2)
    void theRedisCounterIsExactAcrossHostsAndTheInMemoryOneIsNot() throws Exception {
        String last = "";
        long inMemoryHighest = 0;
        for (int i = 0; i < 30; i++) {
            last = post("/visits").body;
            String inMemory = post("/visits/in-memory").body;
            inMemoryHighest = Math.max(inMemoryHighest, Long.parseLong(inMemory.replaceAll("^visits: (\\d+).*\\s*$", "$1")));
        }
        assertThat(last).startsWith("visits: 30 (Redis");
        assertThat(inMemoryHighest).as("each process counted only its own share").isLessThan(30);
    }

    @Test
    @Order(3)
    void statusShowsEveryHostUpWithItsInstancesAndRelease() {
        Shell.Result status = lab.run("status");
        assertThat(status.exitCode()).isZero();
        for (String host : List.of("h1", "h2", "h3")) {
            assertThat(status.output()).containsPattern("(?m)^" + host + " +" + SUBNET.replace(".", "\\.") + "\\.1\\d +up +UP .* online 0 .*: v1 · \\d+");
        }
    }

    @Test
    @Order(4)
    void aRollingDeployUnderLoadFailsNoRequestAndEndsWithEveryAnswerFromTheNewRelease() throws Exception {
        LoadClient load = LoadClient.start(new InetSocketAddress("127.0.0.1", port), 6, LoadClient.Mix.BOTH);
        Process deploy = lab.start("deploy", "v2");
        try {
            // While it runs, a second deploy is refused: two rolling deploys at once could take two hosts out.
            waitForLock();
            Shell.Result second = lab.run("deploy", "v3");
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.output()).contains("a deploy is already running", "deploying v2");
            assertThat(deploy.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String output = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(deploy.exitValue()).as(output).isZero();
            assertThat(output).contains("h1: drain", "h3: answers v2, ready, UP in HAProxy", "deploy of v2 done");
            Thread.sleep(2_000);
        } finally {
            deploy.destroyForcibly();
            load.close();
        }
        System.out.println("load during the deploy: " + load.timeline().summary());
        assertThat(load.timeline().failed()).as(load.timeline().summary()).isZero();
        assertThat(load.timeline().totals().get(Outcome.OK)).isPositive();
        assertThat(load.timeline().answeredByReleaseInLast(1)).containsOnlyKeys("v2");
    }

    @Test
    @Order(5)
    void aHostCutOffUnderLoadFailsNoGetAndHaproxyTakesItOutThenBackIn() throws Exception {
        LoadClient load = LoadClient.start(new InetSocketAddress("127.0.0.1", port), 6, LoadClient.Mix.GET);
        try {
            Thread.sleep(1_000);
            assertThat(lab.run("fail", "h2").exitCode()).isZero();
            Thread.sleep(4_000);
            Shell.Result status = lab.run("status");
            assertThat(status.output()).containsPattern("(?m)^h2 .* DOWN +DOWN");
            Shell.Result heal = lab.run("heal", "h2");
            assertThat(heal.exitCode()).isZero();
            assertThat(heal.output()).contains("host h2: HAProxy sees it UP again");
            Thread.sleep(1_000);
        } finally {
            load.close();
        }
        System.out.println("load during the loss of h2: " + load.timeline().summary());
        assertThat(load.timeline().failed()).as(load.timeline().summary()).isZero();
        assertThat(load.timeline().answeredByHost()).containsKeys("h1", "h3");
    }

    @Test
    @Order(6)
    void whenRedisIsUnreachableAVisitIsAClear503NotA500OrAHang() throws Exception {
        assertThat(lab.run("fail", "db").exitCode()).isZero();
        try {
            long started = System.nanoTime();
            Answer answer = post("/visits");
            assertThat(answer.status).isEqualTo(503);
            assertThat(answer.body).contains("cannot reach Redis at " + SUBNET + ".2:6379");
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms to the answer").isLessThan(4_000);
            assertThat(get("/").status).as("the rest of the app still serves").isEqualTo(200);
        } finally {
            assertThat(lab.run("heal", "db").exitCode()).isZero();
        }
        assertThat(post("/visits").status).isEqualTo(200);
    }

    @Test
    @Order(7)
    void badInputGetsOneClearSentenceAndANonZeroExit() throws Exception {
        Shell.Result unknown = lab.run("fail", "h9");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.output()).contains("[lab] no host 'h9' in this lab; its hosts are h1, h2, h3").doesNotContain("Exception");

        LabCommand other = new LabCommand(Files.createTempDirectory("lab-it-other"));
        Shell.Result zero = other.run("up", "--hosts", "0", "--name", "x" + NAME.substring(1));
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.output()).contains("--hosts must be between 1 and 16").doesNotContain("Exception");

        Shell.Result portTaken = other.run("up", "--name", "x" + NAME.substring(1), "--subnet", "10.78.1", "--port", Integer.toString(port));
        assertThat(portTaken.exitCode()).isEqualTo(1);
        assertThat(portTaken.output()).contains("port " + port + " on 127.0.0.1 is taken");
        assertThat(Network.namespaces("x" + NAME.substring(1) + "-")).as("nothing was built").isEmpty();

        Shell.Result noStrategy = lab.run("deploy", "v9", "--strategy", "yolo");
        assertThat(noStrategy.exitCode()).isEqualTo(1);
        assertThat(noStrategy.output()).contains("--strategy must be rolling, no-drain or all-at-once");
    }

    @Test
    @Order(8)
    void netemSlowsAHostWhereTheKernelHasItAndOtherwiseSaysSoAndLeavesTheLabAsItWas() throws Exception {
        Shell.Result netem = lab.run("netem", "h2", "delay", "20ms");
        if (netem.exitCode() == 0) {
            assertThat(netem.output()).contains("host h2: netem delay 20ms on its link");
            assertThat(lab.run("netem", "h2", "--off").exitCode()).isZero();
        } else {
            assertThat(netem.exitCode()).isEqualTo(1);
            assertThat(netem.output()).contains("this kernel has no netem", "everything else in the lab works without it");
        }
        assertThat(get("/").status).isEqualTo(200);
    }

    @Test
    @Order(9)
    void aCrashedHostIsLookedAtWithoutStartingAnythingOnItAndHealsWithItsApp() throws Exception {
        assertThat(lab.run("fail", "h3", "--how", "kill").exitCode()).isZero();
        Shell.Result status = lab.run("status");
        assertThat(status.output()).containsPattern("(?m)^h3 .*\\(nothing runs on it\\)");
        // jpm's CLI starts a daemon when none runs: status must not have asked h3's.
        assertThat(Network.pids(NAME + "-h3")).as("processes on h3 after status").isEmpty();
        Shell.Result heal = lab.run("heal", "h3");
        assertThat(heal.exitCode()).as(heal.output()).isZero();
        assertThat(heal.output()).contains("host h3: jpm started again with the release it had", "host h3: HAProxy sees it UP again");
    }

    private static void waitForLock() throws Exception {
        Path lock = home.resolve("deploy.lock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(lock) && Files.size(lock) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the deploy never took its lock");
    }

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static Answer get(String path) throws IOException {
        return ask("GET", path);
    }

    private static Answer post(String path) throws IOException {
        return ask("POST", path);
    }

    private static Answer ask(String method, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Connection", "close");
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(15_000);
        int status = connection.getResponseCode();
        InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER); // HAProxy sends names in lower case
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null) {
                headers.put(name, values.get(0));
            }
        });
        return new Answer(status, headers, body);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
