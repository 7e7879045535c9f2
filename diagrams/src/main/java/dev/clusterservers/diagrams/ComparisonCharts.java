package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.BenchmarkRun.Result;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.CategoryTableXYDataset;

/**
 * The charts of the cross-lesson comparison ({@code compare/}): throughput grouped by
 * approach and worker count, against the single-JVM baseline; and a client's view of a
 * rolling reload, each request's outcome over time.
 */
public final class ComparisonCharts {
    /** {@code APPROACH/N}, or {@code APPROACH/N@JDK} on another JDK: how the comparison names a configuration. */
    private static final Pattern APPROACH_WORKERS = Pattern.compile("^([\\w.-]+)/(\\d+)(@\\w+)?$");
    static final String BASELINE = "single-jvm";
    private static final Font MARKER = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private ComparisonCharts() {
    }

    /**
     * Requests per second, one group per approach, one bar per worker count, with JMH's error
     * bars and a line at the baseline: anything to its left is slower than one JVM alone.
     * Empty unless every configuration of the run is named {@code APPROACH/N} (or {@code APPROACH/N@JDK}).
     */
    public static Optional<JFreeChart> throughputByWorkers(BenchmarkRun run) {
        List<Result> results = run.inMode(Charts.THROUGHPUT);
        if (results.isEmpty() || !results.stream().allMatch(r -> APPROACH_WORKERS.matcher(r.configuration()).matches())) {
            return Optional.empty();
        }
        // In the run's order: the baseline first, then lesson by lesson, fewest workers first.
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        Double baseline = null;
        for (Result r : results) {
            double perSecond = Charts.perSecond(r);
            String approach = approach(r);
            data.add(r.score() * perSecond, r.error() * perSecond, workers(r) + (workers(r) == 1 ? " worker" : " workers"), approach);
            if (approach.equals(BASELINE)) {
                baseline = r.score() * perSecond;
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(Charts.title(run, "throughput by approach and workers"), null,
                "requests per second", data, PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRangeAxis().setLowerBound(0);
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        Charts.labelValues(renderer, "#,##0");
        plot.setRenderer(renderer);
        if (baseline != null) {
            ValueMarker line = new ValueMarker(baseline, Color.DARK_GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
            line.setLabel("single JVM");
            line.setLabelFont(MARKER);
            line.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(line);
        }
        return Optional.of(Charts.finish(chart, run));
    }

    /** Each request's outcome per time bucket, stacked; dashed lines where the command ran and instances came and went. */
    public static JFreeChart timeline(BenchmarkRun run, Timeline timeline) {
        Map<String, ToLongFunction<Timeline.Bucket>> outcomes = new LinkedHashMap<>();
        outcomes.put("2xx", Timeline.Bucket::ok);
        outcomes.put("5xx", Timeline.Bucket::serverError);
        outcomes.put("connection refused", Timeline.Bucket::refused);
        outcomes.put("reset or closed", Timeline.Bucket::reset);
        outcomes.put("timeout", Timeline.Bucket::timeout);
        outcomes.put("other", Timeline.Bucket::other);
        Color[] colors = {new Color(0x54A24B), new Color(0xF58518), new Color(0xE45756), new Color(0xB279A2),
            new Color(0x9D9D9D), new Color(0x9D755D)};
        CategoryTableXYDataset data = new CategoryTableXYDataset();
        int series = 0;
        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.05);
        int color = 0;
        for (Map.Entry<String, ToLongFunction<Timeline.Bucket>> outcome : outcomes.entrySet()) {
            // An outcome that never happened is left out of the legend, except success.
            if (series == 0 || timeline.total(outcome.getValue()) > 0) {
                for (Timeline.Bucket bucket : timeline.buckets()) {
                    data.add(bucket.t(), outcome.getValue().applyAsLong(bucket), outcome.getKey());
                }
                renderer.setSeriesPaint(series++, colors[color]);
            }
            color++;
        }
        String title = run.module() + " · " + timeline.command() + " under load (" + timeline.instances() + " instances, "
                + timeline.concurrency() + " clients)";
        JFreeChart chart = ChartFactory.createXYBarChart(title, "seconds", false,
                "requests per " + timeline.bucketMillis() + " ms", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        plot.setRenderer(renderer);
        ((NumberAxis) plot.getRangeAxis()).setLowerBound(0);
        plot.getDomainAxis().setLowerBound(0);
        int i = 0;
        for (Timeline.Event event : timeline.events()) {
            boolean command = event.what().startsWith("jpm");
            ValueMarker marker = new ValueMarker(event.t(), command ? Color.BLACK : Color.GRAY,
                    new BasicStroke(command ? 1.2f : 0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {3f, 3f}, 0f));
            marker.setLabel(event.what());
            marker.setLabelFont(MARKER);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            // Labels step down the plot, so that events close in time stay readable.
            marker.setLabelOffset(new RectangleInsets(4 + 14 * (i++ % 6), 3, 3, 3));
            plot.addDomainMarker(marker);
        }
        return Charts.finish(chart, timeline.caption());
    }

    private static String approach(Result r) {
        return approachOf(r.configuration());
    }

    private static int workers(Result r) {
        return Integer.parseInt(group(r.configuration(), 2));
    }

    /** The approach, with the JDK when it is not the run's own: a group of bars of its own, beside the other JDK's. */
    static String approachOf(String configuration) {
        String jdk = group(configuration, 3);
        return group(configuration, 1) + (jdk == null ? "" : jdk);
    }

    private static String group(String configuration, int group) {
        Matcher matcher = APPROACH_WORKERS.matcher(configuration);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(configuration);
        }
        return matcher.group(group);
    }
}
