package dev.clusterservers.processmanager.it;

import static dev.clusterservers.processmanager.it.JpmHarness.get;
import static dev.clusterservers.processmanager.it.JpmHarness.pidOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tutorial's lesson, replayed against a real daemon and real Javalin processes. */
@Timeout(180)
class ClusterModeIT extends JpmInAPrivateHome {
    static final int LOAD_THREADS = 4;

    @Test
    void theTutorialsProcessJsonStartsFourInstancesAllOnlineSharingOnePort() throws Exception {
        Path file = jpm.ecosystem("{\"apps\":[" + jpm.apiApp(4, port, "") + "]}");

        JpmHarness.Result started = jpm.jpm("start", file.toString()).expectOk();

        List<ProcessInfo> list = jpm.list();
        assertThat(started.out()).contains("online");
        assertThat(list).hasSize(4).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo("online");
            assertThat(p.mode()).isEqualTo("cluster");
            assertThat(p.pid()).isPositive();
        });
        Set<Long> pids = list.stream().map(ProcessInfo::pid).collect(Collectors.toSet());
        Set<Long> answered = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            answered.add(pidOf(get(port, "/")));
        }
        assertThat(pids).as("four processes").hasSize(4).containsAll(answered);
        assertThat(answered).as("the kernel spreads new connections over the instances").hasSizeGreaterThan(1);
    }

    /** README, *Run*: "Port 8000 taken by another program? ... ./jpm start process.json --port 8080". */
    @Test
    void runSectionPortFlagMovesTheFilesAppToAnotherPort() throws Exception {
        int portInTheFile = JpmHarness.freePort();
        Path file = jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, portInTheFile, "") + "]}");

        jpm.jpm("start", file.toString(), "--port", Integer.toString(port)).expectOk();

        assertThat(jpm.list()).singleElement().satisfies(p -> assertThat(p.port()).isEqualTo(port));
        assertThat(get(port, "/")).startsWith("Hello from worker PID:");
    }

    @Test
    void anInstanceKilledWithSigkillComesBackAndItsRestartCountRises() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        ProcessInfo victim = jpm.list().get(0);

        ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ProcessInfo back = jpm.describe(Integer.toString(victim.id()));
            assertThat(back.status()).isEqualTo("online");
            assertThat(back.pid()).isNotEqualTo(victim.pid());
            assertThat(back.restarts()).isEqualTo(victim.restarts() + 1);
            assertThat(back.history()).singleElement().satisfies(r -> assertThat(r.exit()).contains("SIGKILL"));
        });
        assertThat(get(port, "/")).startsWith("Hello from worker PID:");
    }

    @Test
    void reloadUnderLoadFailsNoRequestAndGivesEveryInstanceANewPid() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        Set<Long> before = jpm.list().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        List<Thread> load = new java.util.ArrayList<>();
        // Half the clients open a connection per request, half keep theirs alive: a draining
        // instance must neither refuse the first kind nor answer the second with 503.
        for (int t = 0; t < LOAD_THREADS; t++) {
            boolean keepAlive = t % 2 == 1;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                URI uri = URI.create("http://127.0.0.1:" + port + "/");
                while (loading.get()) {
                    try {
                        if (keepAlive) {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                throw new IOException("kept-alive connection answered " + response.statusCode());
                            }
                        } else {
                            get(port, "/");
                        }
                        served.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, (keepAlive ? "keep-alive-" : "new-connection-") + t);
            thread.start();
            load.add(thread);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> served.get() > 50);

        JpmHarness.Result reload = jpm.jpm("reload", "api");
        int servedDuringReload = served.get();
        Thread.sleep(500);
        loading.set(false);
        for (Thread thread : load) {
            thread.join(15_000);
        }

        reload.expectOk();
        assertThat(failures).as("failed requests during the reload").isEmpty();
        assertThat(servedDuringReload).isGreaterThan(50);
        List<ProcessInfo> after = jpm.list();
        assertThat(after).hasSize(2).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo("online");
            assertThat(before).doesNotContain(p.pid());
        });
        assertThat(before).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
    }

    @Test
    void aReplacementThatNeverGetsReadyAbortsTheReloadAndTheOldInstanceKeepsServing() throws Exception {
        // wait_ready: ready means the app called Ready.signal(); the example app never does.
        String app = jpm.apiApp(1, port, ",\"wait_ready\":true,\"listen_timeout\":3000");
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString()).expectOk();
        ProcessInfo old = jpm.list().get(0);

        JpmHarness.Result reload = jpm.jpm("reload", "api");

        assertThat(reload.code()).isEqualTo(1);
        assertThat(reload.err()).contains("reload of api stopped", "not ready within listen_timeout", "keeps serving");
        assertThat(jpm.list()).singleElement().satisfies(p -> assertThat(p.pid()).isEqualTo(old.pid()));
        assertThat(pidOf(get(port, "/"))).isEqualTo(old.pid());
        assertThat(jpm.processes()).as("the daemon and the old instance, nothing else").hasSize(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jpm.daemonLog())
                .as("the killed replacement is named as one, not as the old process, which still runs")
                .containsPattern("api 0: replacement PID \\d+ exited \\(signal 9 \\(SIGKILL\\)\\); it never served")
                .doesNotContainPattern("old process \\d+ exited"));
    }
}
