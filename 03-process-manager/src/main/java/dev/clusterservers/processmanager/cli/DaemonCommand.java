package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.daemon.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The daemon's own role; the CLI starts it, detached. Hidden from help. */
@Command(name = "daemon", hidden = true, description = "Run the daemon in the foreground (the CLI starts it).")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--home", required = true)
    Path home;

    @Override
    public Integer call() throws Exception {
        return new Daemon(new Home(home)).run();
    }
}
