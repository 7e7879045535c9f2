package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.BenchmarkRun.Result;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A Markdown table of one run, generated from its JSON so that no figure is typed by hand. */
public final class ResultsTable {
    private ResultsTable() {
    }

    public static String markdown(BenchmarkRun run) {
        Set<String> configurations = new LinkedHashSet<>();
        run.results().stream().filter(r -> !r.mode().equals(Charts.SINGLE_SHOT)).forEach(r -> configurations.add(r.configuration()));
        StringBuilder md = new StringBuilder();
        if (!configurations.isEmpty()) {
            md.append("| configuration | requests/s | p50 ms | p99 ms | requests per worker | Jain's index |\n");
            md.append("|---|---:|---:|---:|---|---:|\n");
        }
        for (String configuration : configurations) {
            Optional<Result> thrpt = find(run, configuration, Charts.THROUGHPUT);
            Optional<double[]> latency = run.latencyMillis(configuration);
            Optional<BenchmarkRun.Spread> spread = run.spreadOf(configuration);
            md.append("| ").append(configuration)
                    .append(" | ").append(thrpt.map(r -> fmt("%,.0f ± %,.0f", r.score() * Charts.perSecond(r), r.error() * Charts.perSecond(r))).orElse(""))
                    .append(" | ").append(latency.map(l -> fmt("%.2f", l[0])).orElse(""))
                    .append(" | ").append(latency.map(l -> fmt("%.2f", l[1])).orElse(""))
                    .append(" | ").append(spread.map(s -> s.requestsPerWorker().values().toString()).orElse(""))
                    .append(" | ").append(spread.map(s -> fmt("%.3f", s.jainIndex())).orElse(""))
                    .append(" |\n");
        }
        if (!run.inMode(Charts.SINGLE_SHOT).isEmpty()) {
            md.append(md.isEmpty() ? "" : "\n").append("| single shot | seconds per run |\n|---|---:|\n");
            for (Result r : run.inMode(Charts.SINGLE_SHOT)) {
                md.append("| ").append(r.configuration()).append(" | ")
                        .append(fmt("%.2f ± %.2f", Charts.seconds(r, r.score()), Charts.seconds(r, r.error()))).append(" |\n");
            }
        }
        if (!run.costs().isEmpty()) {
            md.append(md.isEmpty() ? "" : "\n").append(costs(run));
            md.append("\n").append(Goals.markdown(run));
        }
        md.append("\n").append(run.caption()).append("\n");
        if (!run.timelines().isEmpty()) {
            md.append("\n").append(timelines(run));
        }
        return md.toString();
    }

    /**
     * One row per configuration: what a request cost the server in CPU time, against the single
     * JVM's (and whether the run can tell them apart), the client's CPU per request, memory per
     * worker under load, and spawn to ready. Every figure is a median, the range beside it.
     */
    static String costs(BenchmarkRun run) {
        Optional<Cost.Figure> baseline = run.costOf(ComparisonCharts.BASELINE + "/1").flatMap(Cost::serverMicrosPerRequest);
        StringBuilder md = new StringBuilder();
        md.append("| configuration | server CPU µs per request | vs single JVM | client CPU µs per request | cores busy (server) "
                + "| RSS MiB per worker | PSS MiB per worker | PSS MiB, all processes | processes | spawn → ready ms per worker |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, String> signals = new LinkedHashMap<>();
        for (Cost cost : run.costsInRunOrder()) {
            Optional<Cost.Figure> cpu = cost.serverMicrosPerRequest();
            md.append("| ").append(cost.configuration())
                    .append(" | ").append(cpu.map(f -> range(f, "%.1f")).orElse(""))
                    .append(" | ").append(cpu.flatMap(f -> baseline.map(b -> versus(f, b))).orElse(""))
                    .append(" | ").append(cost.clientMicrosPerRequest().map(f -> range(f, "%.1f")).orElse(""))
                    .append(" | ").append(cost.serverCores().map(f -> fmt("%.2f", f.median())).orElse(""))
                    .append(" | ").append(cost.workerRssMiB().map(f -> range(f, "%.0f")).orElse(""))
                    .append(" | ").append(cost.workerPssMiB().map(f -> range(f, "%.0f")).orElse(""))
                    .append(" | ").append(fmt("%.0f", cost.totalPssMiB()))
                    .append(" | ").append(cost.processes().size())
                    .append(" | ").append(cost.spawnToReadyMillis().map(f -> range(f, "%.0f")).orElse(""))
                    .append(" |\n");
            signals.putIfAbsent(approach(cost.configuration()), cost.readySignal());
        }
        md.append("\nMedians, with the lowest and highest value in brackets: of the measured iterations for CPU, of the workers "
                + "for memory and start-up. *Inside the spread*: the two ranges overlap, so this run cannot tell the row from "
                + "the single JVM. Ready means:\n\n");
        signals.forEach((approach, signal) -> md.append("- ").append(approach).append(": ").append(signal).append("\n"));
        return md.toString();
    }

    /** {@code 38.2 (37.0–40.1)}; a single value stands alone. */
    static String range(Cost.Figure f, String pattern) {
        String median = fmt(pattern, f.median());
        String low = fmt(pattern, f.low());
        String high = fmt(pattern, f.high());
        return low.equals(high) ? median : median + " (" + low + "–" + high + ")";
    }

    /** The row's CPU per request as a multiple of the single JVM's, or "inside the spread" when the run cannot tell them apart. */
    static String versus(Cost.Figure row, Cost.Figure baseline) {
        String ratio = fmt("%.2f×", row.median() / baseline.median());
        return row.overlaps(baseline) ? ratio + ", inside the spread" : ratio;
    }

    private static String approach(String configuration) {
        int slash = configuration.lastIndexOf('/');
        return slash < 0 ? configuration : configuration.substring(0, slash);
    }

    /** One row per timeline: how many requests the client sent while instances were replaced, and how they ended. */
    static String timelines(BenchmarkRun run) {
        StringBuilder md = new StringBuilder();
        md.append("| under load | instances | requests | 2xx | 5xx | refused | reset or closed | timeout | other |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Timeline t : run.timelines()) {
            md.append("| `").append(t.command()).append("` | ").append(t.instances())
                    .append(" | ").append(fmt("%,d", t.requests()))
                    .append(" | ").append(fmt("%,d", t.total(Timeline.Bucket::ok)))
                    .append(" | ").append(fmt("%,d", t.total(Timeline.Bucket::serverError)))
                    .append(" | ").append(fmt("%,d", t.total(Timeline.Bucket::refused)))
                    .append(" | ").append(fmt("%,d", t.total(Timeline.Bucket::reset)))
                    .append(" | ").append(fmt("%,d", t.total(Timeline.Bucket::timeout)))
                    .append(" | ").append(fmt("%,d", t.total(Timeline.Bucket::other)))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static Optional<Result> find(BenchmarkRun run, String configuration, String mode) {
        return run.inMode(mode).stream().filter(r -> r.configuration().equals(configuration)).findFirst();
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
