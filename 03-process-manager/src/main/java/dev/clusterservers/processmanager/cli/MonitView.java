package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code jpm monit}'s panes, without a terminal: which rows each pane shows for a
 * process table, a selection and the recent log lines. {@link MonitScreen} only draws it.
 */
final class MonitView {
    /** Marks the selected instance; also in reverse video, but a marker survives {@code tmux capture-pane}. */
    static final String SELECTED = "> ";
    static final String UNSELECTED = "  ";
    static final String HELP = " ↑/↓ select an instance   q quit   refreshes every second";

    private MonitView() {
    }

    /** One row per instance, PM2's: {@code > [ 0] api      online     13%  92.4mb}; 38 columns. */
    static List<String> processRows(List<ProcessInfo> processes, int selected) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            ProcessInfo p = processes.get(i);
            rows.add(String.format(Locale.ROOT, "%s[%2d] %-8s %-9s %4s %7s", i == selected ? SELECTED : UNSELECTED,
                    p.id(), fit(p.name(), 8), fit(p.status(), 9), Table.cpu(p.cpuPercent()), Table.memory(p.memoryBytes())));
        }
        if (rows.isEmpty()) {
            rows.add("no apps: jpm start process.json");
        }
        return rows;
    }

    /** Key and value rows, the keys padded to one column. */
    static List<String> detailRows(List<Details.Row> rows) {
        int width = rows.stream().mapToInt(r -> r.key().length()).max().orElse(0);
        return rows.stream().map(r -> Details.line(r, width)).toList();
    }

    /** The pane titles, which say whose figures the bottom panes show. */
    static String metricsTitle(ProcessInfo p) {
        return p == null ? "Metrics" : "Metrics: " + p.name() + " " + p.id();
    }

    static String metadataTitle(ProcessInfo p) {
        return p == null ? "Metadata" : "Metadata: " + p.name() + " " + p.id();
    }

    /** The last {@code height} of the lines: the newest at the bottom, as a terminal scrolls. */
    static List<String> lastLines(List<String> lines, int height) {
        return lines.subList(Math.max(0, lines.size() - height), lines.size());
    }

    /** The selection after an arrow key: it stops at either end instead of wrapping. */
    static int move(int selected, int delta, int count) {
        if (count == 0) {
            return 0;
        }
        return Math.max(0, Math.min(count - 1, selected + delta));
    }

    /** The index of the instance {@code id} after a refresh, or the nearest row if it is gone. */
    static int indexOf(List<ProcessInfo> processes, int id, int previousIndex) {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).id() == id) {
                return i;
            }
        }
        return move(previousIndex, 0, processes.size());
    }

    /** Cut to {@code width} columns; a cut line ends in "…" so it does not look whole. */
    static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
