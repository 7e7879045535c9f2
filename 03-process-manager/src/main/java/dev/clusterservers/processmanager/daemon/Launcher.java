package dev.clusterservers.processmanager.daemon;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.StartupArchive;
import dev.clusterservers.plumbing.StdinSwap;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.agent.Agent;
import dev.clusterservers.processmanager.agent.DaemonLink;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ExecMode;
import dev.clusterservers.processmanager.config.HeapSize;
import dev.clusterservers.processmanager.config.ProcessorShare;
import dev.clusterservers.processmanager.config.Script;
import dev.clusterservers.processmanager.logs.OutputPump;
import dev.clusterservers.processmanager.ports.SharedListener;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts an instance's process: {@code java -javaagent:jpm-agent.jar[=shared:PORT|=cluster]
 * [-Xmx] [-XX:ActiveProcessorCount] <jvm_args> <script> <args>}, in the app's {@code cwd}, with its {@code env} plus what jpm
 * adds, stdout and stderr piped through the daemon into timestamped log files. Stdin is
 * /dev/null, except with a shared listener: then fd 0 is the app's listening socket, the one
 * way a child JVM can inherit a socket ({@link StdinSwap}).
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
        command.add("-javaagent:" + agent + agentArgument(spec));
        if (spec.sharesListener()) {
            // The agent calls dup2 through JNA to make the app's channel the shared socket; JDK 22+
            // warns on stderr (the app's err log) about native access unless it is granted.
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(HeapSize.of(spec).flags());
        command.addAll(ProcessorShare.of(spec, Runtime.getRuntime().availableProcessors()).flags());
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

    /** Tells the agent how the app's server socket must bind: not at all in fork mode. */
    private static String agentArgument(AppSpec spec) {
        if (spec.execMode() != ExecMode.CLUSTER) {
            return "";
        }
        return switch (spec.listen()) {
            case SHARED -> "=" + Agent.SHARED + ":" + spec.port();
            case REUSEPORT -> "=" + Agent.CLUSTER;
        };
    }

    InstanceHandle start(Instance instance, int index) throws IOException {
        AppSpec spec = instance.app().spec();
        ProcessBuilder builder = new ProcessBuilder(command(spec))
                .directory(new File(spec.cwd()));
        Map<String, String> env = builder.environment();
        // The daemon's own class path (a test runner sets CLASSPATH) must not become the app's: with
        // no -cp the JVM would read it, and load the agent's classes from there instead of its jar.
        env.remove("CLASSPATH");
        env.putAll(spec.env());
        if (spec.hasPort()) {
            env.put("PORT", Integer.toString(spec.port()));
        }
        env.put("JPM_APP_NAME", spec.name());
        env.put("JPM_APP_INSTANCE", Integer.toString(index));
        env.put(DaemonLink.ID_ENV, Integer.toString(instance.id()));
        env.put(DaemonLink.SOCKET_ENV, home.agentSocket().toString());
        env.put(DaemonLink.KILL_TIMEOUT_ENV, Long.toString(spec.killTimeoutMs()));
        SharedListener shared = instance.app().sharedListener();
        Process process = shared == null
                ? builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start()
                : StdinSwap.startWithStdin(shared.socket(), builder.redirectInput(ProcessBuilder.Redirect.INHERIT)::start);
        InstanceHandle child = new InstanceHandle(instance, process);
        OutputPump.start(process.getInputStream(), instance.out(), "out " + child);
        OutputPump.start(process.getErrorStream(), instance.err(), "err " + child);
        return child;
    }
}
