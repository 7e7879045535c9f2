package dev.clusterservers.processmanager.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpm monit} in a real terminal: tmux runs it, {@code send-keys} types, and
 * {@code capture-pane} reads the screen as a person would see it. Each test has a tmux server
 * of its own, its socket in the test's temporary folder ({@code -S}, like {@code -L} but
 * removed with the folder), killed afterwards with whatever runs in it.
 */
@Timeout(150)
class MonitIT {
    /** The runnable jar's launcher, as the README runs it. */
    static final Path LAUNCHER = Path.of("jpm").toAbsolutePath();
    static final Duration SCREEN_WITHIN = Duration.ofSeconds(30);
    static final int COLUMNS = 160;
    static final int ROWS = 48;

    @TempDir
    Path dir;
    JpmHarness jpm;
    String socket;

    @BeforeEach
    void aPrivateHomeAndATmuxServerOfItsOwn() throws Exception {
        // CI installs tmux (.ci/run); a missing tmux must fail here, not pass by skipping.
        String version;
        try {
            version = run("tmux", "-V");
        } catch (IOException e) {
            version = e.getMessage();
        }
        assertThat(version).as("tmux is needed to drive jpm monit in a terminal: apt-get install tmux (.ci/run does)")
                .startsWith("tmux");
        jpm = new JpmHarness(dir);
        socket = dir.resolve("tmux.sock").toString();
    }

    @AfterEach
    void stopEverything() throws Exception {
        run("tmux", "-S", socket, "kill-server");
        jpm.close();
    }

    /**
     * Runs monit in a new tmux session, then reports on the shell: its exit code, and whether
     * the terminal's modes ({@code stty -g}) are what they were before.
     */
    void startMonit() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "before=$(stty -g); JAVA='" + java + "' JPM_HOME='" + jpm.home.dir() + "' '" + LAUNCHER + "' monit;"
                + " code=$?; [ \"$(stty -g)\" = \"$before\" ] && echo 'terminal restored';"
                + " echo \"monit exited with $code\"; sleep 600";
        run("tmux", "-S", socket, "new-session", "-d", "-x", Integer.toString(COLUMNS), "-y", Integer.toString(ROWS),
                "sh", "-c", script);
    }

    String screen() throws Exception {
        return run("tmux", "-S", socket, "capture-pane", "-p");
    }

    void press(String key) throws Exception {
        run("tmux", "-S", socket, "send-keys", key);
    }

    void awaitScreen(String... texts) {
        await().atMost(SCREEN_WITHIN).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(screen()).contains(texts));
    }

    @Test
    void monitShowsTheInstancesMovesTheSelectionWithArrowKeysAndQuitsOnQRestoringTheTerminal() throws Exception {
        int port = JpmHarness.freePort();
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(2, port, "") + "]}").toString()).expectOk();
        List<ProcessInfo> instances = jpm.list();

        startMonit();

        awaitScreen("Process List", "> [ 0] api", "  [ 1] api", "Logs", "0|api | ", "Worker created",
                "Metrics: api 0", "cpu", "memory", "Metadata: api 0", "pid       " + instances.get(0).pid(), "jvm");
        press("Down");
        awaitScreen("  [ 0] api", "> [ 1] api", "Metadata: api 1", "pid       " + instances.get(1).pid());
        press("Up");
        awaitScreen("> [ 0] api", "Metadata: api 0");
        press("q");
        awaitScreen("terminal restored", "monit exited with 0");
        assertThat(screen()).as("the dashboard's alternate screen is gone").doesNotContain("Process List");
    }

    @Test
    void ctrlCQuitsAsCleanlyAsQ() throws Exception {
        jpm.jpm("start", jpm.ecosystem("{\"apps\":[" + jpm.apiApp(1, JpmHarness.freePort(), "") + "]}").toString()).expectOk();
        startMonit();
        awaitScreen("> [ 0] api");

        press("C-c");

        awaitScreen("terminal restored", "monit exited with 0");
    }

    @Test
    void withoutADaemonMonitSaysSoAsTheOtherCommandsDo() throws Exception {
        startMonit();

        awaitScreen("jpm: no jpm daemon is running in " + jpm.home.dir(), "monit exited with 69");
        assertThat(screen()).doesNotContain("Exception");
    }

    @Test
    void withoutATerminalMonitExplainsInOneLineAndExitsNonZero() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // As `jpm monit < /dev/null | cat`: stdin from /dev/null, stdout into a pipe.
        ProcessBuilder direct = new ProcessBuilder(LAUNCHER.toString(), "monit")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        direct.environment().put("JAVA", java);
        direct.environment().put("JPM_HOME", jpm.home.dir().toString());
        Process process = direct.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isNotZero();
        assertThat(out).isEmpty();
        assertThat(err.lines()).hasSize(1).first().asString().contains("monit").contains("needs a terminal");
        assertThat(Files.exists(jpm.home.daemonPidFile())).as("no daemon was started for nothing").isFalse();
    }

    /** Runs a command to its end and returns its output; tmux's own errors are part of it. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
