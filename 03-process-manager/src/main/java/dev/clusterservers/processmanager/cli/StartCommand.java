package dev.clusterservers.processmanager.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ConfigException;
import dev.clusterservers.processmanager.config.EcosystemFile;
import dev.clusterservers.processmanager.protocol.JsonLines;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpm start process.json}, or {@code jpm start api.jar -i 4}. The file is checked here,
 * in the CLI, so an error names the file as the user typed it and nothing reaches the daemon.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start the apps of an ecosystem file (process.json), or one jar / .java file.",
            "Waits until every instance is online or has failed (at most --wait); exits 1 if one did not come up."})
final class StartCommand extends ClientCommand {
    /** Below the CLI's own deadline for the daemon's answer ({@link DaemonClient#SLOW_ANSWER}). */
    static final Duration MAX_WAIT = DaemonClient.SLOW_ANSWER.minusMinutes(1);

    @Parameters(index = "0", paramLabel = "FILE|SCRIPT", description = "process.json, app.jar or App.java")
    Path target;

    @Option(names = {"-i", "--instances"}, paramLabel = "N|max", description = "instances (implies cluster mode)")
    String instances;

    @Option(names = "--name", description = "the app's name (default: the script's file name)")
    String name;

    @Option(names = "--port", description = "the port the app serves (cluster mode: jpm holds it, passes PORT); with a file of one app, in place of its \"port\"")
    Integer port;

    @Option(names = "--json", description = "print the resulting table as JSON")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "longest wait for the instances to be ready (default: ${DEFAULT-VALUE}); "
            + "those still launching then are named, and go on starting")
    long waitSeconds = Request.Start.DEFAULT_WAIT.toSeconds();

    @Override
    public Integer call() {
        List<AppSpec> apps;
        try {
            boolean file = target.toString().endsWith(".json");
            if (file && (instances != null || name != null)) {
                throw new ConfigException(target + ": -i and --name are for a jar or .java file; set \"instances\""
                        + " and \"name\" in the file (--port works with a file of one app)");
            }
            apps = file ? EcosystemFile.read(target, port) : List.of(fromFlags());
        } catch (ConfigException e) {
            context.err.println("[jpm] " + e.getMessage());
            context.err.println("[jpm] nothing was started");
            return JpmExit.BAD_CONFIG;
        }
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT.toSeconds()) {
            context.err.println("jpm start: --wait " + waitSeconds + ": expected 0 to " + MAX_WAIT.toSeconds() + " seconds");
            return JpmExit.USAGE;
        }
        List<String> names = apps.stream().map(AppSpec::name).toList();
        if (!json) {
            int count = apps.stream().mapToInt(AppSpec::instances).sum();
            context.out.println("[jpm] starting " + String.join(", ", names) + ": " + count + (count == 1 ? " instance" : " instances")
                    + "; waiting up to " + waitSeconds + " s for " + (count == 1 ? "it" : "each") + " to be ready");
            context.out.flush();
        }
        Duration wait = Duration.ofSeconds(waitSeconds);
        return context.sendAndShow(new Request.Start(apps, wait.toMillis()), json, done -> {
            List<String> notUp = notUp(names, done.processes(), wait);
            notUp.forEach(line -> context.err.println("[jpm] " + line));
            return notUp.isEmpty() ? JpmExit.OK : JpmExit.FAILED;
        });
    }

    /**
     * One line for each instance of these apps that is not online, saying what it does instead
     * (PM2 prints the table and leaves reading it to you; a script wants an exit code too).
     */
    static List<String> notUp(List<String> apps, List<ProcessInfo> table, Duration waited) {
        List<String> lines = new ArrayList<>();
        for (ProcessInfo p : table) {
            if (!apps.contains(p.name()) || p.status().equals("online")) {
                continue;
            }
            String exited = p.history().isEmpty() ? "it exited" : "it exited (" + p.history().get(p.history().size() - 1).exit() + ")";
            String what = switch (p.status()) {
                case "launching" -> "still launching after " + waited.toSeconds() + " s (--wait gives it longer)";
                case "waiting restart" -> exited + "; jpm starts it again after a back-off, until max_restarts";
                default -> p.status();
            };
            lines.add(p.name() + " " + p.id() + " did not come up: " + what + "; see jpm logs " + p.name());
        }
        return lines;
    }

    /** The flags become an app object, checked by the same rules as a file. */
    private AppSpec fromFlags() throws ConfigException {
        ObjectNode app = JsonLines.JSON.createObjectNode();
        app.put("script", target.toString());
        if (instances != null) {
            app.put("instances", instances);
            app.put("exec_mode", "cluster");
        }
        if (name != null) {
            app.put("name", name);
        }
        if (port != null) {
            app.put("port", port);
        }
        Path cwd = Path.of("").toAbsolutePath();
        return new EcosystemFile("command line", cwd, Runtime.getRuntime().availableProcessors()).app("start", app);
    }
}
