package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.Cost.Figure;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * The comparison's figures that hold on a busy machine ({@link Cost}): CPU time per request,
 * memory per worker, spawn to ready. Each bar is a median; its whisker reaches the farthest
 * value it came from (an iteration, or a worker), so bars whose whiskers overlap are not told
 * apart by the run.
 */
public final class CostCharts {
    private static final Font MARKER = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private CostCharts() {
    }

    /** Server CPU per request (every process of the approach) and the client's, with the single-JVM server's as a line. */
    public static Optional<JFreeChart> cpuPerRequest(BenchmarkRun run) {
        List<Cost> costs = run.costsInRunOrder();
        if (costs.stream().allMatch(c -> c.serverMicrosPerRequest().isEmpty())) {
            return Optional.empty();
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        add(data, costs, "server (all its processes)", Cost::serverMicrosPerRequest);
        add(data, costs, "load client (benchmark JVM)", Cost::clientMicrosPerRequest);
        JFreeChart chart = bars(run, "CPU time per request", "microseconds of CPU per request", data, "#,##0.0");
        run.costOf(ComparisonCharts.BASELINE + "/1").flatMap(Cost::serverMicrosPerRequest)
                .ifPresent(baseline -> baselineLine(chart.getCategoryPlot(), baseline.median(), "single JVM, server"));
        return Optional.of(chart);
    }

    /** RSS and PSS per worker under load, and the PSS of all the approach's processes together. */
    public static Optional<JFreeChart> memory(BenchmarkRun run) {
        List<Cost> costs = run.costsInRunOrder();
        if (costs.stream().allMatch(c -> c.workerRssMiB().isEmpty())) {
            return Optional.empty();
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        add(data, costs, "RSS per worker", Cost::workerRssMiB);
        add(data, costs, "PSS per worker", Cost::workerPssMiB);
        add(data, costs, "PSS, all processes", c -> Optional.of(new Figure(c.totalPssMiB(), c.totalPssMiB(), c.totalPssMiB())));
        return Optional.of(bars(run, "memory under load", "MiB", data, "#,##0"));
    }

    /** Milliseconds from each worker's spawn to the line that says it is ready. */
    public static Optional<JFreeChart> spawnToReady(BenchmarkRun run) {
        List<Cost> costs = run.costsInRunOrder();
        if (costs.stream().allMatch(c -> c.spawnToReadyMillis().isEmpty())) {
            return Optional.empty();
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        add(data, costs, "spawn to ready, per worker", Cost::spawnToReadyMillis);
        return Optional.of(bars(run, "spawn to ready per worker", "milliseconds", data, "#,##0"));
    }

    private static void add(DefaultStatisticalCategoryDataset data, List<Cost> costs, String series,
                            Function<Cost, Optional<Figure>> figure) {
        for (Cost cost : costs) {
            figure.apply(cost).ifPresent(f -> data.add(f.median(), whisker(f), series, cost.configuration()));
        }
    }

    /** StatisticalBarRenderer draws a symmetric whisker: it reaches the farther end of the range. */
    static double whisker(Figure f) {
        return Math.max(f.high() - f.median(), f.median() - f.low());
    }

    private static JFreeChart bars(BenchmarkRun run, String what, String axis, DefaultStatisticalCategoryDataset data, String pattern) {
        return bars(Charts.title(run, what), run.caption(), axis, data, pattern);
    }

    /** Horizontal bars, one per category and series, each a median with its whisker; a legend when there are series to tell apart. */
    static JFreeChart bars(String title, String caption, String axis, DefaultStatisticalCategoryDataset data, String pattern) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data,
                PlotOrientation.HORIZONTAL, data.getRowCount() > 1, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRangeAxis().setLowerBound(0);
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        Charts.labelValues(renderer, pattern);
        plot.setRenderer(renderer);
        return Charts.finish(chart, caption);
    }

    private static void baselineLine(CategoryPlot plot, double value, String label) {
        ValueMarker line = new ValueMarker(value, Color.DARK_GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
        line.setLabel(label);
        line.setLabelFont(MARKER);
        line.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(line);
    }
}
