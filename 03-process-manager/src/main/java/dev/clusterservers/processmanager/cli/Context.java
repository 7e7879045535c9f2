package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.JsonLines;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.function.ToIntFunction;

/** What every command needs: the home directory, the daemon, and where to print. */
final class Context {
    final Home home;
    final PrintWriter out;
    final PrintWriter err;
    /** When the user's command began. */
    final Instant started;

    Context(Home home, PrintWriter out, PrintWriter err, Instant started) {
        this.home = home;
        this.out = out;
        this.err = err;
        this.started = started;
    }

    DaemonClient daemon() {
        return new DaemonClient(home, err);
    }

    /** Sends a request (starting the daemon if needed) and prints the answer PM2's way. */
    int sendAndShow(Request request, boolean json) {
        return sendAndShow(request, json, done -> JpmExit.OK);
    }

    /** As {@link #sendAndShow(Request, boolean)}; then {@code verdict} judges a done reply: it says what went wrong and gives the exit code. */
    int sendAndShow(Request request, boolean json, ToIntFunction<Reply.Done> verdict) {
        Reply reply;
        try {
            reply = daemon().send(request, true);
        } catch (JsonLines.TooLarge e) {
            err.println("[jpm] " + e.getMessage() + "; nothing was sent");
            return JpmExit.BAD_CONFIG;
        } catch (IOException e) {
            err.println("jpm: " + e.getMessage());
            return JpmExit.NO_DAEMON;
        }
        int shown = show(reply, json);
        return reply instanceof Reply.Done done ? verdict.applyAsInt(done) : shown;
    }

    int show(Reply reply, boolean json) {
        if (reply instanceof Reply.Failed failed) {
            err.println("[jpm] " + failed.error());
            return JpmExit.FAILED;
        }
        Reply.Done done = (Reply.Done) reply;
        if (json) {
            try {
                out.println(JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(done.processes()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return JpmExit.OK;
        }
        if (!done.message().isEmpty()) {
            out.println("[jpm] " + done.message());
        }
        out.print(Table.render(done.processes()));
        return JpmExit.OK;
    }
}
