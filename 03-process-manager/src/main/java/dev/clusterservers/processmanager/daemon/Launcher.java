package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.StartupArchive;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.agent.Agent;
import dev.clusterservers.processmanager.agent.DaemonLink;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import dev.clusterservers.processmanager.config.Script;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts an instance's process: {@code java -javaagent:jpm-agent.jar[=cluster] <jvm_args>
 * <script> <args>}, in the app's {@code cwd}, with its {@code env} plus what jpm adds, stdin
 * from /dev/null, and stdout and stderr piped through the daemon into timestamped log files.
 */
final class Launcher {
    private final Home home;

    Launcher(Home home) {
        this.home = home;
    }

    List<String> command(AppSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaBinary());
        String agent = home.agentDir().resolve(Agent.AGENT_JAR).toString();
        command.add("-javaagent:" + agent + (spec.execMode() == ExecMode.CLUSTER ? "=" + Agent.CLUSTER : ""));
        // A jar the build archived (see jvm-plumbing's StartupArchive) starts from its archive;
        // the app's own jvm_args come after, so they can turn it off (-Xshare:off).
        if (spec.script().kind() == Script.Kind.JAR) {
            StartupArchive.forClasspath(spec.script().target()).ifPresent(archive -> command.addAll(archive.useFlags()));
        }
        command.addAll(spec.jvmArgs());
        command.addAll(spec.script().launchArguments());
        command.addAll(spec.args());
        return command;
    }

    Child start(Instance instance, int index) throws IOException {
        AppSpec spec = instance.app().spec();
        ProcessBuilder builder = new ProcessBuilder(command(spec))
                .directory(new File(spec.cwd()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.putAll(spec.env());
        if (spec.hasPort()) {
            env.put("PORT", Integer.toString(spec.port()));
        }
        env.put("JPM_APP_NAME", spec.name());
        env.put("JPM_APP_INSTANCE", Integer.toString(index));
        env.put(DaemonLink.ID_ENV, Integer.toString(instance.id()));
        env.put(DaemonLink.SOCKET_ENV, home.agentSocket().toString());
        env.put(DaemonLink.KILL_TIMEOUT_ENV, Long.toString(spec.killTimeoutMs()));
        Process process = builder.start();
        Child child = new Child(instance, process);
        pump(process.getInputStream(), instance.out(), "out " + child);
        pump(process.getErrorStream(), instance.err(), "err " + child);
        return child;
    }

    /** One thread per stream: it ends by itself at end of stream, when the process exits. */
    private static void pump(InputStream stream, LogFile file, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    file.append(line);
                }
            } catch (IOException e) {
                // The process is gone; so is the rest of its output.
            }
        }, "log " + name);
        thread.setDaemon(true);
        thread.start();
    }
}
