package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.Request;
import picocli.CommandLine.Command;

/** {@code jpm save} and {@code jpm resurrect}: the running apps, kept across a {@code kill}. */
final class SaveCommands {
    private SaveCommands() {
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "Write the running apps to $JPM_HOME/dump.json, for resurrect.")
    static final class Save extends ClientCommand {
        @Override
        public Integer call() {
            return context.sendAndShow(new Request.Save(), false);
        }
    }

    @Command(name = "resurrect", mixinStandardHelpOptions = true,
            description = "Start the apps saved by save that are not running.")
    static final class Resurrect extends ClientCommand {
        @Override
        public Integer call() {
            return context.sendAndShow(new Request.Resurrect(), false);
        }
    }
}
