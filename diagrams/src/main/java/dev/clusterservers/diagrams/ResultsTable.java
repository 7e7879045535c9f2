package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.BenchmarkRun.Result;
import java.util.LinkedHashSet;
import java.util.Locale;
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
        md.append("\n").append(run.caption()).append("\n");
        if (!run.timelines().isEmpty()) {
            md.append("\n").append(timelines(run));
        }
        return md.toString();
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
