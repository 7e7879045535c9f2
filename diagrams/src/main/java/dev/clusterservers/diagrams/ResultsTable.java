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
        run.results().forEach(r -> configurations.add(r.configuration()));
        StringBuilder md = new StringBuilder();
        md.append("| configuration | requests/s | p50 ms | p99 ms | requests per worker | Jain's index |\n");
        md.append("|---|---:|---:|---:|---|---:|\n");
        for (String configuration : configurations) {
            Optional<Result> thrpt = find(run, configuration, Charts.THROUGHPUT);
            Optional<Result> sample = find(run, configuration, Charts.SAMPLE);
            Optional<BenchmarkRun.Spread> spread = run.spreadOf(configuration);
            md.append("| ").append(configuration)
                    .append(" | ").append(thrpt.map(r -> fmt("%,.0f ± %,.0f", r.score() * Charts.perSecond(r), r.error() * Charts.perSecond(r))).orElse(""))
                    .append(" | ").append(sample.map(r -> fmt("%.2f", Charts.millis(r, "50.0"))).orElse(""))
                    .append(" | ").append(sample.map(r -> fmt("%.2f", Charts.millis(r, "99.0"))).orElse(""))
                    .append(" | ").append(spread.map(s -> s.requestsPerWorker().values().toString()).orElse(""))
                    .append(" | ").append(spread.map(s -> fmt("%.3f", s.jainIndex())).orElse(""))
                    .append(" |\n");
        }
        md.append("\n").append(run.caption()).append("\n");
        return md.toString();
    }

    private static Optional<Result> find(BenchmarkRun run, String configuration, String mode) {
        return run.inMode(mode).stream().filter(r -> r.configuration().equals(configuration)).findFirst();
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
