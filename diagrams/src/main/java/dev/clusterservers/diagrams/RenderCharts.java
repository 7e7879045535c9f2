package dev.clusterservers.diagrams;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.svg.SVGGraphics2D;

/**
 * Renders every benchmark run found in {@code NN-name/results/*.json} (JMH's JSON, or a lab
 * record of lesson 04) into SVG and PNG charts under {@code diagrams/charts/}, and refreshes each
 * README section marked {@code <!-- bench:MODULE/RUN -->} ... {@code <!-- /bench -->} with the
 * run's table and charts.
 *
 * <p>Run from the repository root: {@code ./mvnw -q -pl diagrams compile exec:java}.
 */
public final class RenderCharts {
    static final int WIDTH = 900;
    static final int HEIGHT = 480;
    /** A lab timeline is two plots, answers above failures, under a legend of hosts and releases. */
    static final int TIMELINE_HEIGHT = 640;
    private static final Pattern SECTION = Pattern.compile("(<!-- bench:([\\w.-]+)/([\\w.-]+) -->\\n)(.*?)(<!-- /bench -->)",
            Pattern.DOTALL);

    private RenderCharts() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path root = args.length > 0 ? Path.of(args[0]) : findRepositoryRoot();
        ArchitectureDiagrams.renderAll(root).forEach(path -> System.out.println("wrote " + root.relativize(path)));
        List<BenchmarkRun> runs = findRuns(root);
        List<LabRecord> labs = findLabRecords(root);
        if (runs.isEmpty() && labs.isEmpty()) {
            System.out.println("No results found under " + root + "/*/results/; run a benchmark first.");
            return;
        }
        Path out = root.resolve("diagrams/charts");
        for (BenchmarkRun run : runs) {
            List<Path> written = render(run, out);
            written.forEach(path -> System.out.println("wrote " + root.relativize(path)));
        }
        for (LabRecord lab : labs) {
            List<Path> written = render(lab, out);
            written.forEach(path -> System.out.println("wrote " + root.relativize(path)));
        }
        for (Path readme : readmes(root)) {
            if (refreshSections(readme, runs, labs, root)) {
                System.out.println("refreshed " + root.relativize(readme));
            }
        }
    }

    /** Writes the run's charts as SVG and PNG, and its table as Markdown; returns the files. */
    public static List<Path> render(BenchmarkRun run, Path out) throws IOException {
        return render(run.module() + "-" + run.name(), charts(run), ResultsTable.markdown(run), out);
    }

    /** Writes a lab record's charts (a timeline per run, the hop cost) and its tables; returns the files. */
    public static List<Path> render(LabRecord lab, Path out) throws IOException {
        return render(lab.module() + "-" + lab.name(), LabCharts.charts(lab), LabTable.markdown(lab), out);
    }

    private static List<Path> render(String base, Map<String, JFreeChart> charts, String markdown, Path out) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, JFreeChart> chart : charts.entrySet()) {
            write(chart.getValue(), out.resolve(base + "-" + chart.getKey()), written);
        }
        Path table = out.resolve(base + ".md");
        Files.writeString(table, markdown, StandardCharsets.UTF_8);
        written.add(table);
        return written;
    }

    /** Every chart the run has data for, by file-name suffix, in the order a README shows them. */
    static Map<String, JFreeChart> charts(BenchmarkRun run) {
        Map<String, JFreeChart> charts = new LinkedHashMap<>();
        ComparisonCharts.throughputByWorkers(run).ifPresent(c -> charts.put("by-workers", c));
        Charts.throughput(run).ifPresent(c -> charts.put("throughput", c));
        Charts.latency(run).ifPresent(c -> charts.put("latency", c));
        Charts.spread(run).ifPresent(c -> charts.put("spread", c));
        Charts.singleShot(run).ifPresent(c -> charts.put("single-shot", c));
        CostCharts.cpuPerRequest(run).ifPresent(c -> charts.put("cpu", c));
        CostCharts.memory(run).ifPresent(c -> charts.put("memory", c));
        CostCharts.spawnToReady(run).ifPresent(c -> charts.put("spawn-to-ready", c));
        for (Timeline timeline : run.timelines()) {
            charts.put(timeline.name(), ComparisonCharts.timeline(run, timeline));
        }
        return charts;
    }

    private static void write(JFreeChart chart, Path base, List<Path> written) throws IOException {
        int height = heightFor(chart);
        SVGGraphics2D svg = new SVGGraphics2D(WIDTH, height);
        // JFreeSVG names its clip paths with a random prefix unless told one: a fixed prefix
        // makes rendering the same JSON twice write the same bytes, so git shows real changes only.
        svg.setDefsKeyPrefix(base.getFileName().toString());
        chart.draw(svg, new Rectangle(0, 0, WIDTH, height));
        Path svgFile = base.resolveSibling(base.getFileName() + ".svg");
        Files.writeString(svgFile, svg.getSVGDocument(), StandardCharsets.UTF_8);
        Path pngFile = base.resolveSibling(base.getFileName() + ".png");
        ChartUtils.saveChartAsPNG(pngFile.toFile(), chart, WIDTH, height);
        written.add(svgFile);
        written.add(pngFile);
    }

    /** Tall enough that every horizontal bar keeps a readable thickness, however many configurations. */
    static int heightFor(JFreeChart chart) {
        if (chart.getPlot() instanceof CombinedDomainXYPlot) {
            return TIMELINE_HEIGHT;
        }
        if (!(chart.getPlot() instanceof CategoryPlot plot) || plot.getDataset() == null) {
            return HEIGHT;
        }
        int perCategory = plot.getRenderer() instanceof StackedBarRenderer ? 1 : plot.getDataset().getRowCount();
        return Math.max(HEIGHT, 160 + 20 * perCategory * plot.getDataset().getColumnCount());
    }

    /** JMH's results: every {@code results/*.json} that is not a lab record. */
    static List<BenchmarkRun> findRuns(Path root) throws IOException {
        List<BenchmarkRun> runs = new ArrayList<>();
        for (Path json : resultFiles(root)) {
            // A lab record sits beside JMH's results; LabRecord reads it.
            if (!LabRecord.isLabRecord(json)) {
                runs.add(BenchmarkRun.load(json));
            }
        }
        return runs;
    }

    /** Lesson 04's lab records; none (not an error) when no lab has run yet. */
    static List<LabRecord> findLabRecords(Path root) throws IOException {
        List<LabRecord> records = new ArrayList<>();
        for (Path json : resultFiles(root)) {
            if (LabRecord.isLabRecord(json)) {
                LabRecord.load(json).ifPresent(records::add);
            }
        }
        return records;
    }

    /** Every {@code NN-name/results/*.json}, by module, then by name. */
    private static List<Path> resultFiles(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path results : modules.map(m -> m.resolve("results")).filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(results)) {
                    files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(found::add);
                }
            }
        }
        return found;
    }

    /** Replaces the body of each marked section with the run's table and chart links; true if anything changed. */
    static boolean refreshSections(Path readme, List<BenchmarkRun> runs, Path root) throws IOException {
        return refreshSections(readme, runs, List.of(), root);
    }

    /** The same, for JMH's runs and the lab's records alike: a marker names either by MODULE/NAME. */
    static boolean refreshSections(Path readme, List<BenchmarkRun> runs, List<LabRecord> labs, Path root) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher matcher = SECTION.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String module = matcher.group(2);
            String name = matcher.group(3);
            Optional<BenchmarkRun> run = runs.stream()
                    .filter(r -> r.module().equals(module) && r.name().equals(name)).findFirst();
            Optional<LabRecord> lab = labs.stream()
                    .filter(l -> l.module().equals(module) && l.name().equals(name)).findFirst();
            String body = run.map(r -> section(r, readme, root))
                    .or(() -> lab.map(l -> section(l, readme, root)))
                    .orElse("_No results yet for " + module + "/" + name + "._\n");
            matcher.appendReplacement(result, Matcher.quoteReplacement(matcher.group(1) + body + matcher.group(5)));
        }
        matcher.appendTail(result);
        if (result.toString().equals(text)) {
            return false;
        }
        Files.writeString(readme, result.toString(), StandardCharsets.UTF_8);
        return true;
    }

    private static String section(BenchmarkRun run, Path readme, Path root) {
        StringBuilder md = new StringBuilder(ResultsTable.markdown(run)).append('\n');
        String base = chartsFrom(readme, root) + "/" + run.module() + "-" + run.name();
        for (String chart : charts(run).keySet()) {
            md.append("![").append(altText(chart)).append("](").append(base).append('-').append(chart).append(".svg)\n");
        }
        return md.toString();
    }

    /** A lab record's tables, then its charts, each described by its own title. */
    private static String section(LabRecord lab, Path readme, Path root) {
        StringBuilder md = new StringBuilder(LabTable.markdown(lab)).append('\n');
        String base = chartsFrom(readme, root) + "/" + lab.module() + "-" + lab.name();
        for (Map.Entry<String, JFreeChart> chart : LabCharts.charts(lab).entrySet()) {
            md.append("![").append(chart.getValue().getTitle().getText()).append("](")
                    .append(base).append('-').append(chart.getKey()).append(".svg)\n");
        }
        return md.toString();
    }

    /** diagrams/charts as a README links to it, from the README's own folder. */
    private static String chartsFrom(Path readme, Path root) {
        Path charts = readme.toAbsolutePath().getParent().relativize(root.toAbsolutePath().resolve("diagrams/charts"));
        return charts.toString().replace('\\', '/');
    }

    private static String altText(String chart) {
        return switch (chart) {
            case "by-workers" -> "throughput by approach and workers";
            case "throughput", "latency" -> chart;
            case "spread" -> "requests per worker";
            case "single-shot" -> "time per run";
            case "cpu" -> "CPU time per request";
            case "memory" -> "memory per worker";
            case "spawn-to-ready" -> "spawn to ready per worker";
            default -> chart + " timeline";
        };
    }

    private static List<Path> readmes(Path root) throws IOException {
        List<Path> readmes = new ArrayList<>();
        readmes.add(root.resolve("README.md"));
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(readmes::add);
        }
        return readmes.stream().filter(Files::isRegularFile).toList();
    }

    private static Path findRepositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("diagrams")) && Files.isRegularFile(dir.resolve("pom.xml")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run this from inside the repository: no parent holds diagrams/ and pom.xml");
        }
        return dir;
    }
}
