package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpm describe api}: everything about each instance, with its recent restarts. */
@Command(name = "describe", aliases = "show", mixinStandardHelpOptions = true,
        description = "Show one app's or instance's details and restart history.")
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
            row("status", p.status());
            row("mode", p.mode());
            row("pid", p.pid() == 0 ? "-" : Long.toString(p.pid()));
            row("uptime", Table.duration(p.uptimeMs()));
            row("restarts", p.restarts() + " (" + p.unstableRestarts() + " unstable in a row)");
            row("cpu", Table.cpu(p.cpuPercent()));
            row("memory", Table.memory(p.memoryBytes()));
            row("user", p.user());
            row("script", p.script());
            row("exec cwd", p.cwd());
            row("port", p.port() < 0 ? "-" : Integer.toString(p.port()));
            row("out log", p.outLog());
            row("error log", p.errLog());
            for (ProcessInfo.RestartRecord r : p.history()) {
                row("restart", Instant.ofEpochMilli(r.atEpochMs()) + " after " + r.exit() + ", waited " + r.delayMs() + " ms");
            }
            context.out.println();
        }
        return JpmExit.OK;
    }

    private void row(String key, String value) {
        context.out.printf("  %-10s %s%n", key, value);
    }
}
