package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code jpm kill}: stop every app, then the daemon; returns once the daemon has exited. */
@Command(name = "kill", mixinStandardHelpOptions = true, description = "Stop every app and the daemon.")
final class KillCommand extends ClientCommand {
    /** After its reply, the daemon JVM still has to exit. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    @Override
    public Integer call() {
        DaemonClient daemon = context.daemon();
        long pid = daemon.daemonPid();
        Reply reply;
        try {
            reply = daemon.send(new Request.Kill(), false);
        } catch (DaemonClient.NoDaemon e) {
            context.out.println("[jpm] no daemon running in " + context.home.dir());
            return JpmExit.OK;
        } catch (IOException e) {
            context.err.println("jpm: " + e.getMessage());
            return JpmExit.NO_DAEMON;
        }
        if (reply instanceof Reply.Done && pid > 0) {
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(EXIT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    context.err.println("[jpm] the daemon (PID " + pid + ") is still exiting");
                }
            });
        }
        if (reply instanceof Reply.Done done) {
            // Nothing is left to list.
            context.out.println("[jpm] " + done.message());
            return JpmExit.OK;
        }
        return context.show(reply, false);
    }
}
