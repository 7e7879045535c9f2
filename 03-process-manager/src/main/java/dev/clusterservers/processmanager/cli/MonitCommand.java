package dev.clusterservers.processmanager.cli;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.clusterservers.processmanager.JpmExit;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;

/**
 * {@code jpm monit}: PM2's terminal dashboard. The process list (arrow keys select), the logs
 * of every instance, and the selected instance's metrics and metadata, refreshed every second
 * from the daemon's {@code list}, which carries the same figures as {@code list --json}.
 */
@Command(name = "monit", mixinStandardHelpOptions = true,
        description = {"A full-screen dashboard: processes, live logs, metrics and metadata.",
            "Arrow keys select an instance; q or Ctrl-C quits."})
final class MonitCommand extends ClientCommand {
    /** How often the table and the logs are read again; keys and resizes are answered at once. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    /** How often keys are looked for: short enough that a key feels immediate. */
    static final Duration KEY_POLL = Duration.ofMillis(50);
    /** Lines of each log file shown at start, and lines kept for the log pane. */
    static final int TAIL_LINES = 10;
    static final int KEEP_LOG_LINES = 500;

    private final Deque<String> logLines = new ArrayDeque<>();

    @Override
    public Integer call() {
        if (!isTerminal()) {
            context.err.println("[jpm] monit draws a full-screen dashboard and needs a terminal;"
                    + " stdin or stdout is not one (use jpm list or jpm describe --json in scripts)");
            return JpmExit.USAGE;
        }
        List<ProcessInfo> processes;
        try {
            processes = fetch();
        } catch (IOException e) {
            context.err.println("jpm: " + e.getMessage() + "; start an app first: jpm start process.json");
            return JpmExit.NO_DAEMON;
        }
        // The log pane shows the instances in the list, not what deleted apps left on disk.
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        processes.forEach(p -> held.add(p.id()));
        try (MonitScreen screen = MonitScreen.open(); LogFollower logs = new LogFollower(context.home.logs(), null,
                (app, id) -> held.contains(id), context.started)) {
            keep(startOfLogs(logs));
            int selected = 0;
            String status = "";
            long nextRefresh = System.nanoTime() + REFRESH.toNanos();
            screen.draw(new MonitScreen.Frame(processes, selected, List.copyOf(logLines), status));
            while (true) {
                boolean redraw = screen.resized();
                for (KeyStroke key : screen.keys()) {
                    if (quits(key)) {
                        return JpmExit.OK;
                    }
                    int delta = key.getKeyType() == KeyType.ArrowDown ? 1 : key.getKeyType() == KeyType.ArrowUp ? -1 : 0;
                    selected = MonitView.move(selected, delta, processes.size());
                    redraw = true;
                }
                if (System.nanoTime() - nextRefresh >= 0) {
                    nextRefresh = System.nanoTime() + REFRESH.toNanos();
                    int selectedId = processes.isEmpty() ? -1 : processes.get(selected).id();
                    try {
                        processes = fetch();
                        processes.forEach(p -> held.add(p.id()));
                        status = "";
                    } catch (IOException e) {
                        status = "the daemon is not answering: " + e.getMessage();
                    }
                    selected = MonitView.indexOf(processes, selectedId, selected);
                    keep(byTime(logs.newLines()));
                    redraw = true;
                }
                if (redraw) {
                    screen.draw(new MonitScreen.Frame(processes, selected, List.copyOf(logLines), status));
                }
                DaemonClient.sleep(KEY_POLL);
            }
        } catch (IOException e) {
            context.err.println("[jpm] monit: the terminal failed: " + e.getMessage());
            return JpmExit.FAILED;
        }
    }

    private List<ProcessInfo> fetch() throws IOException {
        Reply reply = context.daemon().send(new Request.ListAll(), false);
        if (reply instanceof Reply.Failed failed) {
            throw new IOException(failed.error());
        }
        return ((Reply.Done) reply).processes();
    }

    /** The last lines of every file, merged into one stream by the time the daemon stamped on each. */
    private static List<LogFollower.Line> startOfLogs(LogFollower logs) throws IOException {
        List<LogFollower.Line> lines = new ArrayList<>();
        for (Map.Entry<Path, String> file : logs.files().entrySet()) {
            lines.addAll(logs.tail(file.getKey(), file.getValue(), TAIL_LINES));
        }
        return byTime(lines);
    }

    /** Every line starts with the daemon's timestamp, so text order is time order. */
    private static List<LogFollower.Line> byTime(List<LogFollower.Line> lines) {
        List<LogFollower.Line> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparing(LogFollower.Line::text));
        return sorted;
    }

    private void keep(List<LogFollower.Line> lines) {
        for (LogFollower.Line line : lines) {
            if (line.isNotice()) {
                continue;
            }
            logLines.addLast(line.toString());
            if (logLines.size() > KEEP_LOG_LINES) {
                logLines.removeFirst();
            }
        }
    }

    static boolean quits(KeyStroke key) {
        return switch (key.getKeyType()) {
            case Escape, EOF -> true;
            case Character -> key.getCharacter() == 'q' || key.getCharacter() == 'Q'
                    || (key.isCtrlDown() && key.getCharacter() == 'c');
            default -> false;
        };
    }

    /**
     * Both stdin and stdout must be a terminal. On JDK 17 {@link System#console()} is null
     * unless they are; from JDK 22 it returns a console anyway and {@code isTerminal()} says.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
