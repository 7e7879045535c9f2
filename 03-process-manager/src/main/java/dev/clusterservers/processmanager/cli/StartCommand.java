package dev.clusterservers.processmanager.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.config.AppSpec;
import dev.clusterservers.processmanager.config.ConfigException;
import dev.clusterservers.processmanager.config.EcosystemFile;
import dev.clusterservers.processmanager.protocol.Request;
import dev.clusterservers.processmanager.protocol.Wire;
import java.nio.file.Path;
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
            "Replies when every instance is online (or has failed)."})
final class StartCommand extends ClientCommand {
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
        return context.sendAndShow(new Request.Start(apps), json);
    }

    /** The flags become an app object, checked by the same rules as a file. */
    private AppSpec fromFlags() throws ConfigException {
        ObjectNode app = Wire.JSON.createObjectNode();
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
