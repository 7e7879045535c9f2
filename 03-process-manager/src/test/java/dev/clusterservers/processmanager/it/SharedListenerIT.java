package dev.clusterservers.processmanager.it;

import dev.clusterservers.processmanager.ports.ListenProbe;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.File;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static dev.clusterservers.processmanager.it.JpmHarness.get;
import static dev.clusterservers.processmanager.it.JpmHarness.pidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon-owned listener under three unmodified servers: Javalin (the example app), plain
 * Jetty and the JDK's HttpServer. Each instance's server channel becomes the one socket the
 * daemon listens on, so the kernel shows one listening socket whatever the instance count.
 */
@Timeout(240)
class SharedListenerIT extends JpmInAPrivateHome {
    static final int INSTANCES = 2;
    /** What the plain Jetty app needs to compile and run, taken from this test's own class path. */
    static final List<String> JETTY_JARS = List.of("jetty-server", "jetty-http", "jetty-io", "jetty-util", "slf4j-api");

    @Test
    void javalinServesFromTheDaemonsOneListeningSocketAcrossAReload() throws Exception {
        servesFromOneListeningSocketAcrossAReload(jpm.apiApp(INSTANCES, port, ""), "api");
    }

    @Test
    void plainJettyServesFromTheDaemonsOneListeningSocketAcrossAReload() throws Exception {
        servesFromOneListeningSocketAcrossAReload(sourceApp("PlainJetty", ",\"classpath\":[" + jettyJars() + "]"), "plainjetty");
    }

    @Test
    void theJdksHttpServerServesFromTheDaemonsOneListeningSocketAcrossAReload() throws Exception {
        servesFromOneListeningSocketAcrossAReload(sourceApp("JdkHttpServer", ""), "jdkhttpserver");
    }

    @Test
    void withListenReuseportEveryInstanceBindsASocketOfItsOwn() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(INSTANCES, port, ",\"listen\":\"reuseport\"") + "]}")
                .toString()).expectOk();

        assertThat(ListenProbe.listeningInodes(port)).as("one listening socket per instance").hasSize(INSTANCES);
        assertThat(get(port, "/")).startsWith("Hello from worker PID:");
    }

    private void servesFromOneListeningSocketAcrossAReload(String app, String name) throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + app + "]}").toString()).expectOk();
        Set<String> listening = ListenProbe.listeningInodes(port);
        Set<Long> first = pids();
        assertThat(first).hasSize(INSTANCES);
        assertThat(listening).as("the daemon's socket, and no other").hasSize(1);
        assertThat(first).containsAll(answers());

        jpm.jpm("reload", name).expectOk();

        Set<Long> second = pids();
        assertThat(second).hasSize(INSTANCES).doesNotContainAnyElementsOf(first);
        assertThat(second).containsAll(answers());
        assertThat(ListenProbe.listeningInodes(port)).as("the same socket after the reload").isEqualTo(listening);
    }

    private String sourceApp(String main, String extra) {
        return "{\"name\":\"" + main.toLowerCase() + "\",\"script\":\"" + JpmHarness.APPS.resolve(main + ".java")
                + "\",\"instances\":" + INSTANCES + ",\"exec_mode\":\"cluster\",\"port\":" + port
                + ",\"jvm_args\":\"" + JpmHarness.TEST_JVM_ARGS + "\"" + extra + "}";
    }

    private static String jettyJars() {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> JETTY_JARS.stream().anyMatch(name -> new File(entry).getName().startsWith(name + "-")))
                .map(entry -> "\"" + entry + "\"")
                .toList();
        assertThat(jars).as("Jetty's jars on the test class path").hasSize(JETTY_JARS.size());
        return String.join(",", jars);
    }

    private Set<Long> pids() throws Exception {
        List<ProcessInfo> list = jpm.list();
        for (ProcessInfo p : list) {
            assertThat(p.status()).as("instance %d; the daemon's log:%n%s%nits stderr:%n%s", p.id(), jpm.daemonLog(),
                    Files.exists(jpm.home.errLog(p.name(), p.id())) ? Files.readString(jpm.home.errLog(p.name(), p.id())) : "")
                    .isEqualTo("online");
        }
        return list.stream().map(ProcessInfo::pid).collect(Collectors.toSet());
    }

    private Set<Long> answers() throws Exception {
        Set<Long> answered = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answered.add(pidOf(get(port, "/")));
        }
        return answered;
    }
}
