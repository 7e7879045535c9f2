package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.LabRecord.Outcome;
import dev.clusterservers.diagrams.LabRecord.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown of one lab record: a row per run (how many requests failed, of which kind, and
 * whether the client and HAProxy counted the same answers per host), then the HAProxy hop's
 * cost, then the caption.
 */
public final class LabTable {
    /** The failure kinds every table shows; a 4xx (a client bug) gets a column only when one happened. */
    private static final List<Outcome> ALWAYS_SHOWN = List.of(Outcome.REFUSED, Outcome.RESET, Outcome.EOF,
            Outcome.TIMEOUT, Outcome.STATUS_5XX);

    private LabTable() {
    }

    public static String markdown(LabRecord record) {
        StringBuilder md = new StringBuilder();
        md.append(record.setup()).append(".\n\n");
        if (!record.runs().isEmpty()) {
            md.append(runs(record)).append('\n');
        }
        if (!record.hopCost().isEmpty()) {
            md.append(hopCost(record)).append('\n');
        }
        md.append(record.caption()).append('\n');
        return md.toString();
    }

    /** One row per run: its requests, the failed GETs and POSTs, the failures by kind, and client vs HAProxy. */
    static String runs(LabRecord record) {
        List<Outcome> kinds = new ArrayList<>(ALWAYS_SHOWN);
        if (record.runs().stream().anyMatch(r -> r.total(Outcome.STATUS_4XX) > 0)) {
            kinds.add(Outcome.STATUS_4XX);
        }
        StringBuilder md = new StringBuilder("| run | HAProxy retries | requests | failed GET | failed POST");
        kinds.forEach(k -> md.append(" | ").append(k.label));
        boolean visits = record.runs().stream().anyMatch(r -> r.visitsCounted() != null);
        md.append(" | client vs HAProxy").append(visits ? " | Redis visits for POSTs answered 2xx" : "")
                .append(" |\n|---|---|---:|---:|---:");
        kinds.forEach(k -> md.append("|---:"));
        md.append(visits ? "|---|---|\n" : "|---|\n");
        for (Run run : record.runs()) {
            md.append("| ").append(run.name()).append(" | ").append(run.retries())
                    .append(" | ").append(fmt("%,d", run.requests()))
                    .append(" | ").append(failures(run.failed("GET")))
                    .append(" | ").append(failures(run.failed("POST")));
            kinds.forEach(k -> md.append(" | ").append(fmt("%,d", run.total(k))));
            md.append(" | ").append(clientVersusHaproxy(run));
            if (visits) {
                md.append(" | ").append(visitsForPosts(run));
            }
            md.append(" |\n");
        }
        md.append("\n*Failed*: no 2xx or 3xx answer. *Client vs HAProxy*: the answers the client counted per host "
                + "against the 2xx HAProxy counted per server over the same run.");
        if (visits) {
            md.append(" *Redis visits*: how much the visit counter grew against the POSTs the client saw answered: "
                    + "more means a POST whose answer was lost had counted anyway.");
        }
        md.append('\n');
        return md.toString();
    }

    /** A failure count, in bold when it is not zero: that is the cell a reader looks for. */
    private static String failures(long count) {
        return count == 0 ? "0" : "**" + fmt("%,d", count) + "**";
    }

    /** "equal", or each host whose counts differ: "h2: client 1,499, HAProxy 1,503". */
    static String clientVersusHaproxy(Run run) {
        Map<String, long[]> differences = run.clientVersusHaproxy();
        if (differences.isEmpty()) {
            return "equal";
        }
        List<String> hosts = new ArrayList<>();
        differences.forEach((host, counts) -> hosts.add(fmt("%s: client %,d, HAProxy %,d", host, counts[0], counts[1])));
        return String.join("; ", hosts);
    }

    /** "equal", or "1,003 for 1,000 (+3)"; empty for a record made before the lab counted visits. */
    static String visitsForPosts(Run run) {
        if (run.visitsCounted() == null) {
            return "";
        }
        long answered = run.outcomes().getOrDefault("POST", Map.of()).getOrDefault(Outcome.OK, 0L);
        long counted = run.visitsCounted();
        return counted == answered ? "equal" : fmt("%,d for %,d (%+,d)", counted, answered, counted - answered);
    }

    /** Per path, the median server CPU per request of the rounds, with their range, and through HAProxy against straight. */
    static String hopCost(LabRecord record) {
        Map<String, Cost.Figure> figures = record.hopCostByPath();
        Optional<String> straight = record.straightPath();
        StringBuilder md = new StringBuilder(
                "| path | server CPU µs per request | rounds | requests | against straight |\n|---|---:|---:|---:|---|\n");
        figures.forEach((path, figure) -> md.append("| ").append(path)
                .append(" | ").append(ResultsTable.range(figure, "%.1f"))
                .append(" | ").append(record.hopRounds(path))
                .append(" | ").append(fmt("%,d", record.hopRequests(path)))
                .append(" | ").append(straight.filter(s -> !s.equals(path)).map(s -> ResultsTable.versus(figure, figures.get(s))).orElse(""))
                .append(" |\n"));
        md.append("\nThe HAProxy hop: the CPU every process on the host (and HAProxy, on its path) spent per answered request, "
                + "in interleaved rounds; the median, with the lowest and highest round in brackets. *Inside the spread*: "
                + "the two ranges overlap, so this run cannot tell the paths apart.\n");
        return md.toString();
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
