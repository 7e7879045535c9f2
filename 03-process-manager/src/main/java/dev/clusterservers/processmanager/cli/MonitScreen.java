package dev.clusterservers.processmanager.cli;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm monit}'s terminal, through Lanterna's {@link Screen}: the terminal in raw mode
 * on its alternate screen, drawn from a back buffer so each refresh sends only what changed,
 * and given back as it was by {@link #close()}, whichever way monit ends.
 */
final class MonitScreen implements AutoCloseable {
    /** What one frame shows. {@code status} is appended to the help line (e.g. the daemon is not answering). */
    record Frame(List<ProcessInfo> processes, int selected, List<String> logLines, String status) { }

    private final Terminal terminal;
    private final TerminalScreen screen;
    private boolean closed;

    private MonitScreen(Terminal terminal, TerminalScreen screen) {
        this.terminal = terminal;
        this.screen = screen;
    }

    static MonitScreen open() throws IOException {
        // UTF-8 whatever the locale says (JDK 17's default follows it): the borders are box-drawing characters.
        // Ctrl-C trapped as a key, so monit quits through close() and the terminal is restored.
        Terminal terminal = new DefaultTerminalFactory(System.out, System.in, StandardCharsets.UTF_8)
                .setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
                .createTerminal();
        TerminalScreen screen = new TerminalScreen(terminal);
        screen.startScreen();
        screen.setCursorPosition(null);
        MonitScreen monit = new MonitScreen(terminal, screen);
        // A SIGTERM or SIGHUP ends the JVM without our finally blocks' help; the shell still gets its terminal back.
        Runtime.getRuntime().addShutdownHook(new Thread(monit::close, "monit-restore-terminal"));
        return monit;
    }

    /** The keys pressed since the last call, without waiting. */
    List<KeyStroke> keys() throws IOException {
        List<KeyStroke> keys = new ArrayList<>();
        KeyStroke key;
        while ((key = screen.pollInput()) != null) {
            keys.add(key);
        }
        return keys;
    }

    /** True once after the terminal changed size (Lanterna hears SIGWINCH). */
    boolean resized() {
        return screen.doResizeIfNecessary() != null;
    }

    void draw(Frame frame) throws IOException {
        TerminalSize size = screen.getTerminalSize();
        screen.clear();
        TextGraphics g = screen.newTextGraphics();
        if (!MonitLayout.fits(size.getColumns(), size.getRows())) {
            g.putString(0, 0, MonitView.fit("jpm monit needs at least " + MonitLayout.MIN_COLUMNS + "x"
                    + MonitLayout.MIN_ROWS + "; q quits", size.getColumns()));
            screen.refresh();
            return;
        }
        MonitLayout layout = MonitLayout.of(size.getColumns(), size.getRows());
        List<ProcessInfo> processes = frame.processes();
        ProcessInfo selected = processes.isEmpty() ? null : processes.get(frame.selected());
        pane(g, layout.processes(), "Process List", MonitView.processRows(processes, frame.selected()), frame.selected());
        pane(g, layout.logs(), "Logs", MonitView.lastLines(frame.logLines(), layout.logs().innerHeight()), -1);
        pane(g, layout.metrics(), MonitView.metricsTitle(selected),
                selected == null ? List.of() : MonitView.detailRows(Details.metrics(selected)), -1);
        pane(g, layout.metadata(), MonitView.metadataTitle(selected),
                selected == null ? List.of() : MonitView.detailRows(Details.metadata(selected)), -1);
        String help = MonitView.HELP + (frame.status().isEmpty() ? "" : "   " + frame.status());
        g.putString(0, layout.helpRow(), MonitView.fit(help, size.getColumns()));
        screen.refresh();
    }

    /** A framed pane with its title in the top border; {@code highlighted} is drawn in reverse video. */
    private static void pane(TextGraphics g, MonitLayout.Box box, String title, List<String> rows, int highlighted) {
        int right = box.column() + box.width() - 1;
        int bottom = box.row() + box.height() - 1;
        String label = MonitView.fit("─ " + title + " ", box.width() - 2);
        g.putString(box.column(), box.row(), "┌" + label + "─".repeat(Math.max(0, box.width() - 2 - label.length())) + "┐");
        for (int r = box.row() + 1; r < bottom; r++) {
            g.setCharacter(box.column(), r, '│');
            g.setCharacter(right, r, '│');
        }
        g.putString(box.column(), bottom, "└" + "─".repeat(Math.max(0, box.width() - 2)) + "┘");
        for (int i = 0; i < Math.min(rows.size(), box.innerHeight()); i++) {
            // Control characters (a tab in a log line) would move the cursor out of the pane.
            String text = MonitView.fit(rows.get(i).replaceAll("\\p{Cntrl}", " "), box.innerWidth());
            if (i == highlighted) {
                g.enableModifiers(SGR.REVERSE);
            }
            g.putString(box.column() + 2, box.row() + 1 + i, text);
            g.disableModifiers(SGR.REVERSE);
        }
    }

    /** Leaves the alternate screen and gives the terminal its old modes back; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            screen.stopScreen();
            terminal.close();
        } catch (IOException e) {
            // The terminal is gone (closed window): nothing is left to restore.
        }
    }
}
