package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.JpmExit;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code jpm <command>}, PM2's verbs. Built around a {@link Home} and two
 * writers, so that tests run it in their own JVM against a private home directory.
 */
public final class Cli {
    private final Home home;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Instant started;

    /** A command that starts now: what a test's {@code jpm ...} in its own JVM is. */
    public Cli(Home home, PrintWriter out, PrintWriter err) {
        this(home, out, err, Instant.now());
    }

    /** {@code started}: when the user's command began, which {@code jpm logs} shows every line from. */
    public Cli(Home home, PrintWriter out, PrintWriter err, Instant started) {
        this.home = home;
        this.out = out;
        this.err = err;
        this.started = started;
    }

    @Command(name = "jpm", mixinStandardHelpOptions = true, version = "jpm, lesson 3 of java-cluster-servers",
            description = {"A small PM2 for Java apps: a daemon that runs, restarts and reloads your apps.",
                "Start with: jpm start process.json   then: jpm list"},
            footer = {"", "Environment:", "  JPM_HOME  jpm's home directory (default $HOME/.jpm): sockets, logs, dump"},
            subcommands = {
                StartCommand.class, ListCommand.class, DescribeCommand.class, LogsCommand.class, MonitCommand.class,
                TargetCommands.Stop.class, TargetCommands.Restart.class, TargetCommands.Reload.class,
                TargetCommands.Delete.class, ScaleCommand.class, SaveCommands.Save.class, SaveCommands.Resurrect.class,
                KillCommand.class, CommandLine.HelpCommand.class})
    static final class Top implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    public int run(String... args) {
        Context context = new Context(home, out, err, started);
        CommandLine cli = new CommandLine(new Top(), new ContextFactory(context))
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, a) -> {
                    err.println(fullName(e.getCommandLine()) + ": " + e.getMessage());
                    err.println("Try '" + fullName(e.getCommandLine()) + " --help' for more information.");
                    return JpmExit.USAGE;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String fullName(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }

    /** Gives each command the home directory and writers instead of globals. */
    private record ContextFactory(Context context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K object = CommandLine.defaultFactory().create(type);
            if (object instanceof ClientCommand command) {
                command.context = context;
            }
            return object;
        }
    }
}
