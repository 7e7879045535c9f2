package dev.clusterservers.compare;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole comparison in one command: every approach at every worker count through
 * {@link ComparisonBenchmark} (one JMH run, so one client, one machine, one day), then
 * {@code jpm reload} and {@code jpm restart} under load ({@link ReloadTimeline}). Writes
 * everything to one results folder, which {@code diagrams/} renders.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures every approach of lessons 01, 02 and 03 and the tutorial's Node.js",
            "programs against one JVM, in one JMH run: throughput, latency, spread, CPU",
            "per request, memory, spawn to ready. Then jpm reload and restart under load."},
        footer = {"", "Then render the charts and README tables:", "  ./mvnw -q -pl diagrams compile exec:java"})
public final class Compare implements Callable<Integer> {
    /** The script that starts this main sets it, so the records name the command the learner typed. */
    static final String LAUNCHER_PROPERTY = "compare.launcher";

    /**
     * Each configuration costs a few seconds of JVM start-up besides its load. The quick run's
     * 12 s of load per configuration (three measured iterations, the fewest for which JMH
     * gives an error) leave the JIT less time to warm up (on a busy small machine
     * the first seconds are visibly slower), so its figures are lower and noisier than the full run's.
     */
    @Option(names = "--quick", description = "A workshop-sized run: about 15 minutes instead of about 35.")
    boolean quick;

    @Option(names = "--workers", split = ",", paramLabel = "N", defaultValue = "1,2,4",
            description = "Worker counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--approaches", split = ",", paramLabel = "ID",
            description = "Only these approaches (default: all; the node-* ones need Node.js): ${COMPLETION-CANDIDATES}.", converter = ApproachFlag.class,
            completionCandidates = ApproachFlag.Ids.class)
    List<Approach> approaches = List.of(Approach.values());

    @Option(names = "--java", paramLabel = "PATH",
            description = {"Also run every Java approach on this JDK (its folder, or its bin/java), each right after",
                "the same row on the comparison's own JDK; the rows are named APPROACH/N@jdkFEATURE.",
                "Repeatable. The load client stays on the comparison's JDK."})
    List<Path> otherJdks = List.of();

    @Option(names = "--warmup-iterations", paramLabel = "N", description = "Default: 4, or 3 with --quick.")
    Integer warmupIterations;

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations. Default: 5, or 3 with --quick.")
    Integer iterations;

    @Option(names = "--iteration-seconds", paramLabel = "S", description = "Length of every iteration. Default: 5, or 2 with --quick.")
    Integer iterationSeconds;

    @Option(names = "--reload", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Record the jpm reload and restart timelines (default: yes; --no-reload skips them).")
    boolean reload;

    @Option(names = "--results", paramLabel = "DIR", description = "Where to write (default: compare/results).")
    Path results;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Compare()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (int n : workers) {
            if (n < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--workers: every count must be at least 1, got " + n);
            }
        }
        List<ServerJdk> jdks = new ArrayList<>();
        for (Path path : otherJdks) {
            try {
                jdks.add(ServerJdk.at(path));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Lessons lessons = Lessons.find().requireJars();
        Path out = (results != null ? results : lessons.root().resolve("compare/results")).toAbsolutePath().normalize();
        List<Configuration> configurations = Configuration.all(runnable(approaches, lessons), workers,
                jdks.stream().map(ServerJdk::label).toList());
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = System.getProperty(LAUNCHER_PROPERTY, "java -jar compare/target/compare.jar")
                + (args.isEmpty() ? "" : " " + String.join(" ", args));
        System.out.printf("Comparing %d configurations, %d clients, warm-up %d × %d s, measurement %d × %d s; %d CPUs, load average %s%n",
                configurations.size(), ComparisonBenchmark.CLIENTS, warmups(), seconds(), measurements(), seconds(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        for (ServerJdk jdk : jdks) {
            System.out.printf("Java rows again on %s (%s): %s%n", jdk.version(), jdk.label(), jdk.home());
        }
        System.out.println("Results: " + out);
        clean(out);

        Set<String> measured = measure(configurations, lessons, out, command, jdks);
        List<String> failed = new ArrayList<>(configurations.stream().map(Configuration::toString)
                .filter(c -> !measured.contains(c)).toList());
        if (reload) {
            recordReloads(lessons, out, command, failed);
        }
        System.out.println("Wrote " + out.resolve(ComparisonBenchmark.RUN + ".json") + " and its records.");
        if (System.getProperty(LAUNCHER_PROPERTY) == null) {
            // ./compare/run renders them itself next; anyone starting the jar by hand is told how.
            System.out.println("Render the charts: ./mvnw -q -pl diagrams compile exec:java");
        }
        if (!failed.isEmpty()) {
            System.out.println("FAILED: " + String.join(", ", failed) + " (see " + out.resolve("compare.log") + ")");
            return 1;
        }
        return 0;
    }

    /**
     * The Node originals need Node.js, and PM2 its {@code npm ci}: without them the run says
     * so, leaves those approaches out, and measures the rest.
     */
    private static List<Approach> runnable(List<Approach> asked, Lessons lessons) {
        if (asked.stream().noneMatch(Approach::isNode)) {
            return asked;
        }
        StringBuilder whyNot = new StringBuilder();
        Optional<String> node = Lessons.nodeVersion(whyNot);
        if (node.isEmpty()) {
            System.out.println("Node.js: " + whyNot + "; the Node originals are left out (install Node.js "
                    + Lessons.NODE_MAJOR + " or newer to compare with them)");
            return asked.stream().filter(a -> !a.isNode()).toList();
        }
        System.out.println("Node.js " + node.get() + ": the tutorial's programs in " + lessons.root().relativize(lessons.nodeOriginals()));
        if (asked.contains(Approach.NODE_PM2) && !Pm2.installed(lessons)) {
            System.out.println("PM2: not installed in " + lessons.root().relativize(lessons.nodeOriginals())
                    + "; node-pm2 is left out (run `npm ci` there; ./compare/run does)");
            return asked.stream().filter(a -> a != Approach.NODE_PM2).toList();
        }
        return asked;
    }

    /** The JMH run; returns the configurations that produced a score. */
    private Set<String> measure(List<Configuration> configurations, Lessons lessons, Path out, String command,
                                List<ServerJdk> jdks) throws Exception {
        Options options = new OptionsBuilder()
                .include(ComparisonBenchmark.class.getName())
                .param("configuration", configurations.stream().map(Configuration::toString).toArray(String[]::new))
                .warmupIterations(warmups()).warmupTime(TimeValue.seconds(seconds()))
                .measurementIterations(measurements()).measurementTime(TimeValue.seconds(seconds()))
                .jvmArgsAppend("-D" + Lessons.ROOT_PROPERTY + "=" + lessons.root(),
                        "-D" + ComparisonBenchmark.RESULTS_PROPERTY + "=" + out,
                        "-D" + ComparisonBenchmark.COMMAND_PROPERTY + "=" + command,
                        "-D" + ServerJdk.PROPERTY + "=" + ServerJdk.property(jdks))
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve(ComparisonBenchmark.RUN + ".json").toString())
                .build();
        Path logFile = out.resolve("compare.log");
        try (PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8)) {
            Collection<RunResult> runResults = new Runner(options,
                    new Progress(System.out, log, logFile.toString(), configurations.size(), out)).run();
            // A configuration that failed part-way keeps the iterations before the failure: it counts as failed.
            return runResults.stream().filter(r -> r.getBenchmarkResults().stream().allMatch(Progress::complete))
                    .map(r -> r.getParams().getParam("configuration")).collect(Collectors.toSet());
        }
    }

    /** The same cluster, reloaded then restarted, each under the benchmark's load. */
    private void recordReloads(Lessons lessons, Path out, String command, List<String> failed) {
        Configuration cluster = new Configuration(Approach.JPM_CLUSTER, workers.stream().max(Comparator.naturalOrder()).orElse(2));
        for (String verb : List.of("reload", "restart")) {
            System.out.printf("[%s] jpm %s under load, %s ", verb, verb, cluster.describe().replace(Approach.JPM_CLUSTER.description() + ", ", ""));
            System.out.flush();
            try (Servers servers = Servers.start(cluster, lessons)) {
                ReloadTimeline.Timeline timeline = ReloadTimeline.record(servers, verb, command,
                        out.resolve(ComparisonBenchmark.RUN + ".reload"));
                System.out.println("… " + ReloadTimeline.summary(timeline));
            } catch (Exception e) {
                System.out.println("… FAILED: " + e.getMessage());
                failed.add("jpm " + verb);
            }
        }
    }

    private int warmups() {
        return warmupIterations != null ? warmupIterations : quick ? 3 : 4;
    }

    private int measurements() {
        return iterations != null ? iterations : quick ? 3 : 5;
    }

    private int seconds() {
        return iterationSeconds != null ? iterationSeconds : quick ? 2 : 5;
    }

    /** Old records would mix with this run's in the charts, and a goal would read a configuration this run never measured. */
    private static void clean(Path out) throws IOException {
        Files.createDirectories(out);
        for (String stale : List.of(ComparisonBenchmark.RUN + ".spread", CostRecord.FOLDER, ComparisonBenchmark.RUN + ".reload")) {
            Path dir = out.resolve(stale);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.deleteIfExists(out.resolve(ComparisonBenchmark.RUN + ".json"));
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** {@code --approaches 01-reuseport,03-jpm}: by the ids the results use. */
    static final class ApproachFlag implements CommandLine.ITypeConverter<Approach> {
        @Override
        public Approach convert(String value) {
            return Approach.byId(value);
        }

        static final class Ids extends ArrayList<String> {
            Ids() {
                super(Stream.of(Approach.values()).map(Approach::id).toList());
            }
        }
    }
}
