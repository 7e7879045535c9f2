package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code jpm list}'s table, with PM2's columns and PM2's way of writing time and memory, and
 * one column PM2 has no need of: {@code heap}, the most heap each JVM may take.
 */
public final class Table {
    static final List<String> HEADERS = List.of("id", "name", "mode", "pid", "uptime", "↺", "status", "cpu", "mem", "heap", "user");

    private Table() {
    }

    public static String render(List<ProcessInfo> processes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (ProcessInfo p : processes) {
            boolean running = p.pid() != 0;
            rows.add(List.of(
                    Integer.toString(p.id()),
                    p.name(),
                    p.mode(),
                    running ? Long.toString(p.pid()) : "0",
                    running ? duration(p.uptimeMs()) : "0",
                    Integer.toString(p.restarts()),
                    p.status(),
                    cpu(p.cpuPercent()),
                    memory(p.memoryBytes()),
                    p.maxHeap() == null ? "-" : p.maxHeap(),
                    p.user()));
        }
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(rule(widths, '┌', '┬', '┐'));
        out.append(line(rows.get(0), widths));
        out.append(rule(widths, '├', '┼', '┤'));
        for (List<String> row : rows.subList(1, rows.size())) {
            out.append(line(row, widths));
        }
        out.append(rule(widths, '└', '┴', '┘'));
        return out.toString();
    }

    private static String rule(int[] widths, char left, char middle, char right) {
        StringBuilder line = new StringBuilder().append(left);
        for (int c = 0; c < widths.length; c++) {
            line.append("─".repeat(widths[c] + 2)).append(c == widths.length - 1 ? right : middle);
        }
        return line.append('\n').toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("│");
        for (int c = 0; c < cells.size(); c++) {
            line.append(' ').append(cells.get(c)).append(" ".repeat(widths[c] - cells.get(c).length())).append(" │");
        }
        return line.append('\n').toString();
    }

    /** PM2's uptime: 45s, 12m, 3h, 2D. */
    public static String duration(long ms) {
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return s / 3600 + "h";
        }
        return s / 86_400 + "D";
    }

    /** PM2's memory: 0b, 512.0kb, 85.2mb, 1.1gb. */
    public static String memory(long bytes) {
        if (bytes < 1024) {
            return bytes + "b";
        }
        if (bytes < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1fkb", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fmb", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1fgb", bytes / (1024.0 * 1024 * 1024));
    }

    public static String cpu(double percent) {
        return percent < 10 && percent != Math.rint(percent)
                ? String.format(Locale.ROOT, "%.1f%%", percent) : String.format(Locale.ROOT, "%.0f%%", percent);
    }
}
