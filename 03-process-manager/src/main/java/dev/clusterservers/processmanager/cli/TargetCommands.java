package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The verbs that act on "all", an app name or an instance id. */
final class TargetCommands {
    private TargetCommands() {
    }

    abstract static class OnTarget extends ClientCommand {
        @Parameters(paramLabel = "NAME|ID|all", description = "an app name, an instance id, or all")
        String target;

        abstract Request request();

        @Override
        public Integer call() {
            return context.sendAndShow(request(), false);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop gracefully (SIGTERM, SIGKILL after kill_timeout); the apps stay in the list.")
    static final class Stop extends OnTarget {
        @Override
        Request request() {
            return new Request.Stop(target);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Stop, then start again: a short outage. For none, use reload.")
    static final class Restart extends OnTarget {
        @Override
        Request request() {
            return new Request.Restart(target);
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = {"Zero-downtime restart, one instance at a time.",
                "Each new process is ready before the old one stops taking connections.",
                "Fork mode: same as restart (a fork-mode app cannot share its port)."})
    static final class Reload extends OnTarget {
        @Override
        Request request() {
            return new Request.Reload(target);
        }
    }

    @Command(name = "delete", aliases = "del", mixinStandardHelpOptions = true,
            description = "Stop and remove from the list.")
    static final class Delete extends OnTarget {
        @Override
        Request request() {
            return new Request.Delete(target);
        }
    }
}
