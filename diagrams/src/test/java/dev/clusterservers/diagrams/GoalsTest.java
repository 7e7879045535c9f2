package dev.clusterservers.diagrams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterservers.diagrams.Goals.Goal;
import dev.clusterservers.diagrams.Goals.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The goals table, computed from small cost records built here: which rows it reads, the figure, met or not. */
class GoalsTest {
    private static final long REQUESTS = 10_000;
    private static long nextPid = 100;

    /** A configuration whose measured iterations cost these server CPU µs per request, with these processes. */
    private static Cost cost(String configuration, List<Double> micros, List<Cost.ProcessCost> processes, List<Long> listMillis) {
        List<Cost.Iteration> iterations = micros.stream()
                .map(m -> new Cost.Iteration(REQUESTS, 2.0, m * REQUESTS / 1e6, 0.5)).toList();
        return new Cost(configuration, 2, "17.0.15+6", "2026-12-01", "./compare/run", "a line", iterations, processes, listMillis);
    }

    private static Cost cpu(String configuration, Double... micros) {
        return cost(configuration, Arrays.asList(micros), List.of(), null);
    }

    private static Cost workers(String configuration, Cost.ProcessCost... processes) {
        return cost(configuration, List.of(50.0), List.of(processes), null);
    }

    private static Cost.ProcessCost worker(long rssMiB, long pssMiB, long readyMillis) {
        return new Cost.ProcessCost(nextPid++, true, rssMiB * 1024, pssMiB * 1024, readyMillis);
    }

    /** A master or daemon: big, and never a worker's figure. */
    private static Cost.ProcessCost master() {
        return new Cost.ProcessCost(nextPid++, false, 500 * 1024, 400 * 1024, null);
    }

    private static BenchmarkRun run(Cost... costs) {
        return new BenchmarkRun("compare", "demo", "17.0.15+6", List.of(), List.of(), List.of(), new ArrayList<>(List.of(costs)));
    }

    private static Goal goal(BenchmarkRun run, String startsWith) {
        return Goals.check(run).stream().filter(g -> g.goal().startsWith(startsWith)).findFirst().orElseThrow();
    }

    @Test
    void theBestStrategyIsThe01RowWithTheLowestMedianCpuPerRequestAtTwoWorkers() {
        BenchmarkRun run = run(cpu("01-round-robin/2", 60.0, 58.0, 70.0), cpu("01-shared/2", 55.0),
                cpu("01-reuseport/2", 49.0, 50.0, 51.0), cpu("01-reuseport/1", 10.0), cpu("node-cluster/2", 37.0, 37.1, 40.0));

        Goal goal = goal(run, "01, 2 workers, best strategy, vs Node cluster");

        // 37.1 / 50.0 µs: Node's cluster serves 1 / 37.1 requests per CPU-µs, the best 01 row 1 / 50.0.
        assertThat(goal.from()).isEqualTo("01-reuseport/2 vs node-cluster/2");
        assertThat(goal.figure()).hasValue(0.74);
        assertThat(goal.status()).isEqualTo(Status.NOT_MET);
        assertThat(goal.wouldTake()).isEqualTo("01-reuseport/2 at ≤ 28.5 µs CPU per request (now 50.0)");
    }

    @Test
    void aRatioIsMetWhenTheFigureAsShownReachesItsTarget() {
        BenchmarkRun run = run(cpu("single-jvm/1", 59.6), cpu("02-random/2", 120.0), cpu("02-round-robin/2", 100.0),
                cpu("01-shared/2", 39.0), cpu("01-reuseport/2", 39.5));

        Goal forkServer = goal(run, "02 through the master, 2 children, best policy, vs the direct baseline");
        Goal sharePorts = goal(run, "01, 2 workers, best strategy, vs one JVM");

        // 59.6 / 100 is 0.596: shown as 0.60, so it meets "≥ 0.6×".
        assertThat(forkServer.from()).isEqualTo("02-round-robin/2 vs single-jvm/1");
        assertThat(forkServer.measured()).isEqualTo("0.60×");
        assertThat(forkServer.status()).isEqualTo(Status.MET);
        assertThat(forkServer.wouldTake()).isEmpty();
        assertThat(sharePorts.from()).isEqualTo("01-shared/2 vs single-jvm/1");
        assertThat(sharePorts.measured()).isEqualTo("1.53×");
        assertThat(sharePorts.status()).isEqualTo(Status.MET);
    }

    @Test
    void aRatioThatTheRunCannotTellFromItsTargetSaysItIsInsideTheSpread() {
        BenchmarkRun run = run(cpu("single-jvm/1", 131.0, 198.2, 207.6), cpu("01-reuseport/2", 114.5, 150.7, 164.3),
                cpu("02-round-robin/2", 133.6, 153.2, 212.5));

        Goal sharePorts = goal(run, "01, 2 workers, best strategy, vs one JVM");
        Goal forkServer = goal(run, "02 through the master, 2 children, best policy, vs the direct baseline");

        // 114.5–164.3 µs overlaps 131.0–207.6 µs: met by the medians, but this run cannot tell.
        assertThat(sharePorts.measured()).isEqualTo("1.32×");
        assertThat(sharePorts.verdict()).isEqualTo("met, inside the spread");
        // Divided by the target 0.6, the single JVM's range is 218–346 µs: clear of 133.6–212.5.
        assertThat(forkServer.measured()).isEqualTo("1.29×");
        assertThat(forkServer.verdict()).isEqualTo("met");
    }

    @Test
    void jpmIsHeldAgainstLesson01sSharedListenerAndPm2AtTwoInstances() {
        BenchmarkRun run = run(cpu("01-reuseport/2", 30.0), cpu("01-shared/2", 54.5), cpu("03-jpm/2", 99.6), cpu("03-jpm/1", 40.0),
                cpu("node-pm2/2", 39.1));

        Goal sameSharing = goal(run, "03 jpm, 2 instances, vs lesson 01");
        Goal pm2 = goal(run, "03 jpm, 2 instances, vs PM2");

        assertThat(sameSharing.from()).isEqualTo("03-jpm/2 vs 01-shared/2");
        assertThat(sameSharing.figure()).hasValue(0.55);
        assertThat(pm2.from()).isEqualTo("03-jpm/2 vs node-pm2/2");
        assertThat(pm2.figure()).hasValue(0.39);
        assertThat(pm2.status()).isEqualTo(Status.NOT_MET);
    }

    @Test
    void aConfigurationMissingFromTheRunLeavesItsGoalsNotMeasured() {
        // Node not installed: no node-cluster, node-fork-server or node-pm2 rows; and no 02 at all.
        BenchmarkRun run = run(cpu("single-jvm/1", 40.0), cpu("01-reuseport/2", 50.0), cpu("03-jpm/2", 90.0));

        Goal nodeCluster = goal(run, "01, 2 workers, best strategy, vs Node cluster");
        Goal forkServer = goal(run, "02 through the master, 2 children, best policy, vs the Node fork server");
        Goal spawn = goal(run, "spawn → ready, median 02 child");

        assertThat(nodeCluster.status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(nodeCluster.figure()).isEmpty();
        assertThat(nodeCluster.from()).isEqualTo("01-reuseport/2 vs node-cluster/2 (not in this run)");
        assertThat(forkServer.from()).isEqualTo("02-*/2 (not in this run) vs node-fork-server/2 (not in this run)");
        assertThat(spawn.status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(spawn.from()).isEqualTo("02-*/2 (not in this run)");
        assertThat(Goals.markdown(run)).contains(
                "| 01, 2 workers, best strategy, vs Node cluster | ≥ 1.3× | not measured "
                        + "| 01-reuseport/2 vs node-cluster/2 (not in this run) | not measured |  |",
                "| 01, 2 workers, best strategy, vs one JVM | ≥ 1.0× | 0.80× | 01-reuseport/2 vs single-jvm/1 | not met |");
    }

    @Test
    void startUpAndMemoryAreMediansOverEveryWorkerOfTheLessonsTwoWorkerRows() {
        BenchmarkRun run = run(
                workers("01-shared/2", master(), worker(110, 80, 800), worker(108, 82, 900)),
                workers("01-reuseport/2", master(), worker(100, 60, 200), worker(90, 50, 250)),
                workers("01-shared/4", worker(10, 10, 10), worker(10, 10, 10), worker(10, 10, 10), worker(10, 10, 10)),
                workers("02-random/2", master(), worker(83, 59, 280), worker(85, 60, 290)));

        Goal spawn01 = goal(run, "spawn → ready, median 01 worker");
        Goal pss01 = goal(run, "PSS under load, median 01 worker");
        Goal rss02 = goal(run, "RSS under load, median 02 child");

        // Four workers at 2 (the masters and the 4-worker row left out): 200, 250, 800, 900 ms.
        assertThat(spawn01.figure()).hasValue(525.0);
        assertThat(spawn01.from()).isEqualTo("01-shared/2, 01-reuseport/2: 4 workers");
        assertThat(spawn01.status()).isEqualTo(Status.NOT_MET);
        assertThat(spawn01.wouldTake()).isEqualTo("225 ms less (1.75× faster)");
        assertThat(pss01.measured()).isEqualTo("70 MiB");
        assertThat(pss01.wouldTake()).isEqualTo("6 MiB less (1.09× smaller)");
        assertThat(rss02.measured()).isEqualTo("84 MiB");
        assertThat(rss02.from()).isEqualTo("02-random/2: 2 children");
        assertThat(rss02.status()).isEqualTo(Status.MET);
    }

    @Test
    void anotherJdksRowsGetTheirOwnStartUpAndMemoryGoalsAndLeaveTheRunsOwnAlone() {
        BenchmarkRun run = run(
                workers("01-shared/2", master(), worker(110, 80, 800), worker(108, 82, 900)),
                workers("01-shared/2@jdk25", master(), worker(90, 50, 300), worker(92, 52, 500)),
                workers("02-random/2@jdk25", master(), worker(83, 70, 280), worker(85, 72, 290)));

        assertThat(Goals.otherJdks(run)).containsExactly("jdk25");
        assertThat(goal(run, "spawn → ready, median 01 worker").figure()).hasValue(850.0);
        Goal spawn25 = goal(run, "spawn → ready, median 01 worker, jdk25");
        assertThat(spawn25.figure()).hasValue(400.0);
        assertThat(spawn25.target()).isEqualTo("≤ 400 ms");
        assertThat(spawn25.status()).isEqualTo(Status.MET);
        assertThat(spawn25.from()).isEqualTo("01-shared/2@jdk25: 2 workers");
        assertThat(goal(run, "PSS under load, median 02 child, jdk25").measured()).isEqualTo("71 MiB");
        assertThat(goal(run, "PSS under load, median 03 jpm instance, jdk25").from()).isEqualTo("03-*/2@jdk25 (not in this run)");
    }

    @Test
    void issue21sFloorsSitUnderTheTargetsWithTheSameFigure() {
        BenchmarkRun run = run(cpu("single-jvm/1", 40.0), cpu("01-shared/2", 42.0), cpu("node-cluster/2", 40.0));

        assertThat(goal(run, "01, 2 workers, best strategy, vs one JVM (floor)").status()).isEqualTo(Status.MET);
        assertThat(goal(run, "01, 2 workers, best strategy, vs one JVM (floor)").measured()).isEqualTo("0.95×");
        assertThat(Goals.check(run)).filteredOn(g -> g.goal().equals("01, 2 workers, best strategy, vs one JVM"))
                .singleElement().extracting(Goal::status).isEqualTo(Status.NOT_MET);
    }

    @Test
    void jpmListIsTheMedianOfItsRunsWithPm2sBesideIt() {
        BenchmarkRun run = run(cost("03-jpm/2", List.of(90.0), List.of(), List.of(321L, 280L, 269L, 314L, 323L)),
                cost("node-pm2/2", List.of(35.0), List.of(), List.of(172L, 163L, 164L, 162L, 168L)));

        Goal list = goal(run, "`jpm list`");

        assertThat(list.measured()).isEqualTo("314 ms");
        assertThat(list.from()).isEqualTo("03-jpm/2: 5 runs; `pm2 list` in node-pm2/2: 164 ms");
        assertThat(list.status()).isEqualTo(Status.NOT_MET);
        assertThat(list.wouldTake()).isEqualTo("14 ms less (1.05× faster)");
    }

    @Test
    void aJpmRecordWithoutListTimingsLeavesTheListGoalNotMeasured() {
        BenchmarkRun run = run(cpu("03-jpm/2", 90.0));

        Goal list = goal(run, "`jpm list`");

        assertThat(list.status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(list.from()).isEqualTo("03-jpm/2 (its record has no list timings)");
    }

    @Test
    void theStoredRunsTableShowsTheGoalsAfterTheCostTableAndBeforeTheReloadTable() throws Exception {
        String table = ResultsTable.markdown(BenchmarkRun.load(Path.of("src/test/resources/sample/compare/results/demo.json")));

        int costs = table.indexOf("| configuration | server CPU µs per request |");
        int goals = table.indexOf("| goal | target | measured | from | met? | what it would take |");
        int reload = table.indexOf("| under load |");
        assertThat(costs).isNotNegative();
        assertThat(goals).isGreaterThan(costs);
        assertThat(reload).isGreaterThan(goals);
        // The sample's 03-jpm/2 record holds five list timings, read from its JSON: 1180 to 1320 ms.
        assertThat(table).contains(
                "| `jpm list`, median | ≤ 300 ms | 1,250 ms | 03-jpm/2: 5 runs | not met | 950 ms less (4.17× faster) |",
                "| 01, 2 workers, best strategy, vs one JVM | ≥ 1.0× | 0.67× | 01-reuseport/2 vs single-jvm/1 | not met "
                        + "| 01-reuseport/2 at ≤ 40.0 µs CPU per request (now 60.0) |");
    }
}
