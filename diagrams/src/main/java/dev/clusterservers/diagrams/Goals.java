package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.Cost.Figure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The goals the comparison was built to check, against one run: each is a ratio of two medians
 * from that run, or a median, with the configurations it came from, whether it is met and,
 * where it is not, what would meet it. Every goal reads the 2-worker rows (and the one-JVM
 * baseline) of the run's own JDK; a run that measured another JDK too ({@code compare --java})
 * adds that JDK's start-up and memory goals, from its rows ({@code 01-shared/2@jdk25}). A configuration the run lacks (Node not installed, an approach left out) makes its
 * goal "not measured": no figure is ever filled in from elsewhere.
 *
 * <p>A ratio is of requests per CPU-second, 1,000,000 over the median server CPU µs per
 * request, so above 1 the Java row spends less CPU on a request than the one it is held against.
 * Met or not is decided on the figure as the table shows it, so that a reader never sees a
 * rounded figure that meets its target marked "not met".
 */
final class Goals {
    static final int WORKERS = 2;
    static final String SINGLE_JVM = ComparisonCharts.BASELINE + "/1";
    /** The lessons by their configurations' prefix: {@code 01-shared/2} is lesson 01's. */
    private static final List<String> LESSONS = List.of("01", "02", "03");

    enum Status {
        MET("met"), NOT_MET("not met"), NOT_MEASURED("not measured");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    /**
     * One goal and how the run did.
     *
     * @param figure       the measured figure as shown (a ratio, ms or MiB); empty when not measured
     * @param insideSpread for a ratio: the two rows' ranges over their iterations, one scaled by the
     *                     target, overlap, so this run cannot tell whether the goal is met
     * @param from         the configurations it came from, and any the run lacks
     * @param wouldTake    for a goal not met, what it would take: the figure that would meet it; else empty
     */
    record Goal(String goal, String target, OptionalDouble figure, String unit, Status status, boolean insideSpread, String from,
                String wouldTake) {
        String verdict() {
            return status.text + (insideSpread ? ", inside the spread" : "");
        }

        String measured() {
            if (figure.isEmpty()) {
                return Status.NOT_MEASURED.text;
            }
            return unit.equals("×") ? fmt("%.2f×", figure.getAsDouble()) : fmt("%,.0f %s", figure.getAsDouble(), unit);
        }
    }

    private Goals() {
    }

    static List<Goal> check(BenchmarkRun run) {
        Optional<Cost> sharePorts = cheapestAtTwoWorkers(run, "01-");
        Optional<Cost> forkServer = cheapestAtTwoWorkers(run, "02-");
        Optional<Cost> jpm = run.costOf("03-jpm/" + WORKERS);
        List<Goal> goals = new ArrayList<>();
        goals.add(ratio("01, 2 workers, best strategy, vs Node cluster", 1.3, "01-*/2", sharePorts, "node-cluster/2", run));
        goals.add(ratio("01, 2 workers, best strategy, vs one JVM", 1.0, "01-*/2", sharePorts, SINGLE_JVM, run));
        goals.add(ratio("02 through the master, 2 children, best policy, vs the Node fork server", 1.5, "02-*/2", forkServer,
                "node-fork-server/2", run));
        goals.add(ratio("02 through the master, 2 children, best policy, vs the direct baseline (one JVM)", 0.6, "02-*/2",
                forkServer, SINGLE_JVM, run));
        goals.add(ratio("03 jpm, 2 instances, vs lesson 01 with the same sharing (shared listener)", 0.95, "03-jpm/2", jpm,
                "01-shared/2", run));
        goals.add(ratio("03 jpm, 2 instances, vs PM2 with 2 instances", 1.3, "03-jpm/2", jpm, "node-pm2/2", run));
        // Issue 21's floors, under the targets above: a second JVM must at least cost no more than
        // Node's second process, and lose at most a tenth of one JVM.
        goals.add(ratio("01, 2 workers, best strategy, vs Node cluster (floor)", 1.0, "01-*/2", sharePorts, "node-cluster/2", run));
        goals.add(ratio("01, 2 workers, best strategy, vs one JVM (floor)", 0.9, "01-*/2", sharePorts, SINGLE_JVM, run));
        goals.add(ratio("02 through the master, 2 children, best policy, vs the Node fork server (floor)", 1.0, "02-*/2", forkServer,
                "node-fork-server/2", run));
        goals.add(ratio("03 jpm, 2 instances, vs PM2 with 2 instances (floor)", 1.0, "03-jpm/2", jpm, "node-pm2/2", run));
        for (String lesson : LESSONS) {
            goals.add(atMost("spawn → ready, median " + workerOf(lesson), 300, "ms", run, lesson,
                    c -> c.workers().map(Cost.ProcessCost::spawnToReadyMillis).filter(Objects::nonNull).map(Long::doubleValue)));
        }
        goals.add(listGoal(run, jpm));
        for (String lesson : LESSONS) {
            goals.add(atMost("PSS under load, median " + workerOf(lesson), 64, "MiB", run, lesson,
                    c -> c.workers().map(p -> p.pssKiB() / Cost.KIB_PER_MIB)));
        }
        for (String lesson : LESSONS) {
            goals.add(atMost("RSS under load, median " + workerOf(lesson), 96, "MiB", run, lesson,
                    c -> c.workers().map(p -> p.rssKiB() / Cost.KIB_PER_MIB)));
        }
        // A newer JDK the run measured too (compare --java): its start-up with its AOT cache, and its memory.
        for (String jdk : otherJdks(run)) {
            goals.add(atMost("spawn → ready, median " + workerOf("01") + ", " + jdk, 400, "ms", run, "01", jdk,
                    c -> c.workers().map(Cost.ProcessCost::spawnToReadyMillis).filter(Objects::nonNull).map(Long::doubleValue)));
            for (String lesson : LESSONS) {
                goals.add(atMost("PSS under load, median " + workerOf(lesson) + ", " + jdk, 64, "MiB", run, lesson, jdk,
                        c -> c.workers().map(p -> p.pssKiB() / Cost.KIB_PER_MIB)));
            }
        }
        return goals;
    }

    /** The labels of the other JDKs the run measured rows on ({@code 01-shared/2@jdk25}), in run order. */
    static List<String> otherJdks(BenchmarkRun run) {
        return run.costsInRunOrder().stream().map(Cost::configuration).filter(c -> c.contains("@"))
                .map(c -> c.substring(c.indexOf('@') + 1)).distinct().toList();
    }

    static String markdown(BenchmarkRun run) {
        StringBuilder md = new StringBuilder("| goal | target | measured | from | met? | what it would take |\n");
        md.append("|---|---|---:|---|---|---|\n");
        for (Goal g : check(run)) {
            md.append("| ").append(g.goal()).append(" | ").append(g.target()).append(" | ").append(g.measured())
                    .append(" | ").append(g.from()).append(" | ").append(g.verdict()).append(" | ").append(g.wouldTake())
                    .append(" |\n");
        }
        md.append("\nThe goals, from this run's 2-worker rows. A ratio is of requests per CPU-second (1,000,000 ÷ the median "
                + "server CPU µs per request): above 1, the Java row spends less CPU per request. *Best*: the 01 strategy or 02 "
                + "policy with the lowest median CPU per request at 2 workers. Spawn → ready and memory: the median over every "
                + "worker of the lesson's 2-worker rows; `jpm list`: the median of its runs, as typed, after the measurement. *Inside "
                + "the spread*: the row's range of CPU per request overlaps the other row's divided by the target, so this run "
                + "cannot tell whether the goal is met. *(floor)*: issue 21's lower target for the same figure. A goal named with a JDK "
                + "(*jdk25*) reads the rows the run measured on that JDK too (`./compare/run --java`).\n");
        return md.toString();
    }

    /** The configuration {@code PREFIX…/2} with the lowest median server CPU per request. */
    static Optional<Cost> cheapestAtTwoWorkers(BenchmarkRun run, String prefix) {
        return atTwoWorkers(run, prefix).filter(c -> c.serverMicrosPerRequest().isPresent())
                .min(Comparator.comparingDouble(c -> c.serverMicrosPerRequest().get().median()));
    }

    private static Stream<Cost> atTwoWorkers(BenchmarkRun run, String prefix) {
        return atTwoWorkers(run, prefix, "");
    }

    /** The rows {@code PREFIX…/2}, on the run's own JDK ({@code jdk} empty) or on another ({@code PREFIX…/2@jdk}). */
    private static Stream<Cost> atTwoWorkers(BenchmarkRun run, String prefix, String jdk) {
        String end = "/" + WORKERS + (jdk.isEmpty() ? "" : "@" + jdk);
        return run.costsInRunOrder().stream()
                .filter(c -> c.configuration().startsWith(prefix) && c.configuration().endsWith(end));
    }

    /**
     * Java {@code row} against {@code reference}: the reference's CPU per request over the row's,
     * at least {@code target}. Not met, it would take the row's CPU per request down to the
     * reference's divided by the target. The run cannot tell either way when the row's range
     * overlaps the reference's divided by the target (at a target of 1, the cost table's
     * "inside the spread").
     */
    private static Goal ratio(String goal, double target, String rowAsked, Optional<Cost> row, String referenceAsked, BenchmarkRun run) {
        Optional<Cost> reference = run.costOf(referenceAsked);
        String from = name(row, rowAsked) + " vs " + name(reference, referenceAsked);
        String targetText = fmt("≥ %s×", trim(target));
        Optional<Figure> rowMicros = row.flatMap(Cost::serverMicrosPerRequest);
        Optional<Figure> referenceMicros = reference.flatMap(Cost::serverMicrosPerRequest);
        if (rowMicros.isEmpty() || referenceMicros.isEmpty()) {
            return notMeasured(goal, targetText, "×", from);
        }
        double shown = Math.round(referenceMicros.get().median() / rowMicros.get().median() * 100) / 100.0;
        Figure ref = referenceMicros.get();
        boolean insideSpread = rowMicros.get().overlaps(new Figure(ref.median() / target, ref.low() / target, ref.high() / target));
        if (shown >= target) {
            return new Goal(goal, targetText, OptionalDouble.of(shown), "×", Status.MET, insideSpread, from, "");
        }
        return new Goal(goal, targetText, OptionalDouble.of(shown), "×", Status.NOT_MET, insideSpread, from,
                fmt("%s at ≤ %.1f µs CPU per request (now %.1f)", row.get().configuration(),
                        referenceMicros.get().median() / target, rowMicros.get().median()));
    }

    /** The median, over every worker of the lesson's 2-worker rows, at most {@code limit}. */
    private static Goal atMost(String goal, double limit, String unit, BenchmarkRun run, String lesson,
                               Function<Cost, Stream<Double>> perWorker) {
        return atMost(goal, limit, unit, run, lesson, "", perWorker);
    }

    private static Goal atMost(String goal, double limit, String unit, BenchmarkRun run, String lesson, String jdk,
                               Function<Cost, Stream<Double>> perWorker) {
        List<Cost> rows = atTwoWorkers(run, lesson + "-", jdk).toList();
        List<Double> values = rows.stream().flatMap(perWorker).toList();
        String from = rows.isEmpty() ? lesson + "-*/2" + (jdk.isEmpty() ? "" : "@" + jdk) + " (not in this run)"
                : rows.stream().map(Cost::configuration).collect(Collectors.joining(", ")) + ": " + values.size() + " " + workersOf(lesson);
        return median(goal, limit, unit, values, from);
    }

    /** {@code jpm list}, timed in 03-jpm/2; PM2's own beside it, for scale. */
    private static Goal listGoal(BenchmarkRun run, Optional<Cost> jpm) {
        List<Double> runs = jpm.map(Cost::listMillis).orElse(List.of()).stream().map(Long::doubleValue).toList();
        String from = name(jpm, "03-jpm/" + WORKERS);
        if (jpm.isPresent()) {
            from += runs.isEmpty() ? " (its record has no list timings)" : ": " + runs.size() + " runs";
        }
        Optional<Cost> pm2 = run.costOf("node-pm2/" + WORKERS);
        Optional<Figure> pm2List = pm2.flatMap(Cost::listCommandMillis);
        if (pm2List.isPresent()) {
            from += fmt("; `pm2 list` in %s: %.0f ms", pm2.get().configuration(), pm2List.get().median());
        }
        return median("`jpm list`, median", 300, "ms", runs, from);
    }

    private static Goal median(String goal, double limit, String unit, List<Double> values, String from) {
        String targetText = fmt("≤ %s %s", trim(limit), unit);
        Optional<Figure> figure = Figure.of(values);
        if (figure.isEmpty()) {
            return notMeasured(goal, targetText, unit, from);
        }
        double shown = Math.round(figure.get().median());
        if (shown <= limit) {
            return new Goal(goal, targetText, OptionalDouble.of(shown), unit, Status.MET, false, from, "");
        }
        return new Goal(goal, targetText, OptionalDouble.of(shown), unit, Status.NOT_MET, false, from,
                fmt("%,.0f %s less (%.2f× %s)", shown - limit, unit, shown / limit, unit.equals("ms") ? "faster" : "smaller"));
    }

    private static Goal notMeasured(String goal, String target, String unit, String from) {
        return new Goal(goal, target, OptionalDouble.empty(), unit, Status.NOT_MEASURED, false, from, "");
    }

    /** The configuration read, or the one asked for and why it could not be. */
    private static String name(Optional<Cost> cost, String asked) {
        return cost.map(Cost::configuration).orElse(asked + " (not in this run)");
    }

    private static String workerOf(String lesson) {
        return switch (lesson) {
            case "01" -> "01 worker";
            case "02" -> "02 child";
            default -> "03 jpm instance";
        };
    }

    private static String workersOf(String lesson) {
        return switch (lesson) {
            case "01" -> "workers";
            case "02" -> "children";
            default -> "instances";
        };
    }

    /** A target as a person writes it: {@code 1.3}, {@code 1.0}, {@code 0.95}, {@code 300}. */
    private static String trim(double value) {
        return value == Math.rint(value) && value >= 10 ? fmt("%.0f", value) : fmt("%s", value);
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
