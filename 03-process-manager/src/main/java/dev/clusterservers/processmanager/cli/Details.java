package dev.clusterservers.processmanager.cli;

import dev.clusterservers.processmanager.protocol.AppMetric;
import dev.clusterservers.processmanager.protocol.ProcessInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code jpm describe} prints and {@code jpm monit}'s metrics and metadata panes show,
 * written once, so the two commands can never word a figure differently.
 */
final class Details {
    /** One line: a key in the left column, its value beside it. */
    record Row(String key, String value) { }

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Details() {
    }

    /** The figures that move: jpm's measurements, then the app's own metrics. */
    static List<Row> metrics(ProcessInfo p) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("cpu", Table.cpu(p.cpuPercent())));
        rows.add(new Row("memory", Table.memory(p.memoryBytes())));
        rows.add(new Row("restarts", p.restarts() + " (" + p.unstableRestarts() + " unstable in a row)"));
        rows.add(new Row("uptime", p.pid() == 0 ? "-" : Table.duration(p.uptimeMs())));
        for (AppMetric metric : p.metrics()) {
            rows.add(new Row(metric.name(), value(metric)));
        }
        return rows;
    }

    /** What the instance is: the same until it is restarted or reloaded. */
    static List<Row> metadata(ProcessInfo p) {
        return List.of(
                new Row("name", p.name() + " " + p.id()),
                new Row("status", p.status()),
                new Row("script", p.script()),
                new Row("mode", p.mode()),
                new Row("pid", p.pid() == 0 ? "-" : Long.toString(p.pid())),
                new Row("exec cwd", p.cwd()),
                new Row("port", p.port() < 0 ? "-" : Integer.toString(p.port())),
                new Row("out log", p.outLog()),
                new Row("error log", p.errLog()),
                new Row("jvm", p.jvm() == null ? "-" : p.jvm()),
                new Row("max heap", p.maxHeap() == null ? "-" : p.maxHeap() + " (" + p.maxHeapSource() + ")"),
                new Row("cores", p.processorsSource() == null ? "-" : p.processors() + " (" + p.processorsSource() + ")"),
                new Row("user", p.user()));
    }

    /** The recent restarts, oldest first: when, how the process had ended, the back-off chosen. */
    static List<Row> history(ProcessInfo p) {
        return p.history().stream()
                .map(r -> new Row("restart", WHEN.format(Instant.ofEpochMilli(r.atEpochMs())) + "  " + r.exit()
                        + ", then waited " + r.delayMs() + " ms"))
                .toList();
    }

    /** {@code 1234}, {@code 12.3 req/s}, {@code 1.84 ms}; {@code -} when the app has no value yet. */
    static String value(AppMetric metric) {
        if (metric.value() == null) {
            return "-";
        }
        double v = metric.value();
        String number = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
        return metric.unit().isEmpty() ? number : number + " " + metric.unit();
    }

    /** The rows as {@code describe} prints them: the key padded to one column. */
    static String line(Row row, int keyWidth) {
        return String.format(Locale.ROOT, "%-" + keyWidth + "s %s", row.key(), row.value());
    }
}
