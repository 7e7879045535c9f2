package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jpm list}: PM2's table. */
@Command(name = "list", aliases = {"ls", "status"}, mixinStandardHelpOptions = true,
        description = "Show every instance: id, name, mode, pid, uptime, restarts, status, cpu, mem, heap, user.")
final class ListCommand extends ClientCommand {
    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Override
    public Integer call() {
        return context.sendAndShow(new Request.ListAll(), json);
    }
}
