package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jpm scale api 4}, {@code +2}, {@code -1}. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Change an app's instance count: N, +N or -N. Extra instances are stopped gracefully.")
final class ScaleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "N|+N|-N")
    String change;

    @Override
    public Integer call() {
        return context.sendAndShow(new Request.Scale(name, change), false);
    }
}
