package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpm describe api}: everything about each instance: metadata, cpu and memory, the app's own metrics, recent restarts. */
@Command(name = "describe", aliases = "show", mixinStandardHelpOptions = true,
        description = "Show one app's or instance's details, metrics and restart history.")
final class DescribeCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME|ID")
    String target;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        Reply reply;
        try {
            reply = context.daemon().send(new Request.Describe(target), true);
        } catch (IOException e) {
            context.err.println("jpm: " + e.getMessage());
            return JpmExit.NO_DAEMON;
        }
        if (json || reply instanceof Reply.Failed) {
            return context.show(reply, json);
        }
        for (ProcessInfo p : ((Reply.Done) reply).processes()) {
            context.out.printf("%s %d%n", p.name(), p.id());
            List<Details.Row> rows = new ArrayList<>(Details.metadata(p));
            rows.addAll(Details.metrics(p));
            rows.addAll(Details.history(p));
            int width = rows.stream().mapToInt(r -> r.key().length()).max().orElse(0);
            rows.forEach(r -> context.out.println("  " + Details.line(r, width)));
            context.out.println();
        }
        return JpmExit.OK;
    }
}
