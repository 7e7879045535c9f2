package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.BenchmarkRun.Result;
import dev.clusterservers.diagrams.BenchmarkRun.Spread;
import java.awt.Color;
import java.awt.Font;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/** The charts of one benchmark run, each captioned with where and how it was measured. */
public final class Charts {
    static final String THROUGHPUT = "thrpt";
    static final String SAMPLE = "sample";
    static final String SINGLE_SHOT = "ss";
    private static final Color BAR = new Color(0x4C78A8);
    private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Charts() {
    }

    /** Requests per second by configuration, with JMH's 99.9% error as the error bar. */
    public static Optional<JFreeChart> throughput(BenchmarkRun run) {
        List<Result> results = run.inMode(THROUGHPUT);
        if (results.isEmpty()) {
            return Optional.empty();
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Result r : results) {
            double perSecond = perSecond(r);
            data.add(r.score() * perSecond, r.error() * perSecond, "requests/s", r.configuration());
        }
        return Optional.of(barsWithErrors(run, "throughput", "requests per second", data, "#,##0"));
    }

    /** Median and 99th-percentile latency by configuration, in milliseconds (JMH's or the client's). */
    public static Optional<JFreeChart> latency(BenchmarkRun run) {
        List<String> configurations = run.configurationsWithLatency();
        if (configurations.isEmpty()) {
            return Optional.empty();
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String configuration : configurations) {
            double[] p50p99 = run.latencyMillis(configuration).orElseThrow();
            data.addValue(p50p99[0], "p50", configuration);
            data.addValue(p50p99[1], "p99", configuration);
        }
        JFreeChart chart = ChartFactory.createBarChart(title(run, "latency"), null, "milliseconds",
                data, PlotOrientation.HORIZONTAL, true, false, false);
        BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
        labelValues(renderer, "0.00");
        return Optional.of(finish(chart, run));
    }

    /** How long one run of a single-shot benchmark took (e.g. a whole {@code jpm reload}), in seconds. */
    public static Optional<JFreeChart> singleShot(BenchmarkRun run) {
        List<Result> results = run.inMode(SINGLE_SHOT);
        if (results.isEmpty()) {
            return Optional.empty();
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Result r : results) {
            data.add(seconds(r, r.score()), seconds(r, r.error()), "seconds", r.configuration());
        }
        return Optional.of(barsWithErrors(run, "time per run", "seconds", data, "0.00"));
    }

    /** One horizontal bar per configuration, JMH's error as the error bar, the value written on the bar. */
    private static JFreeChart barsWithErrors(BenchmarkRun run, String what, String axis,
                                             DefaultStatisticalCategoryDataset data, String pattern) {
        JFreeChart chart = ChartFactory.createBarChart(title(run, what), null, axis,
                data, PlotOrientation.HORIZONTAL, false, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        // A confidence interval may reach below zero; a throughput or a time cannot.
        plot.getRangeAxis().setLowerBound(0);
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        renderer.setSeriesPaint(0, BAR);
        labelValues(renderer, pattern);
        plot.setRenderer(renderer);
        return finish(chart, run);
    }

    static double seconds(Result r, double value) {
        return millis(r, value) / 1e3;
    }

    /** Each worker's share of the requests, stacked, one bar per configuration; the label carries Jain's index. */
    public static Optional<JFreeChart> spread(BenchmarkRun run) {
        // A benchmark that serves no requests (a reload's duration) records only its machine.
        List<Spread> counted = run.spreads().stream().filter(s -> !s.requestsPerWorker().isEmpty()).toList();
        if (counted.isEmpty()) {
            return Optional.empty();
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        // In the order the run measured them, as in the other charts and the table.
        List<String> order = run.results().stream().map(Result::configuration).distinct().toList();
        List<Spread> spreads = counted.stream().sorted(java.util.Comparator.comparingInt(
                s -> order.contains(s.configuration()) ? order.indexOf(s.configuration()) : order.size())).toList();
        for (Spread s : spreads) {
            long total = s.requestsPerWorker().values().stream().mapToLong(Long::longValue).sum();
            String label = s.configuration() + String.format(" (Jain %.3f)", s.jainIndex());
            List<Long> counts = new ArrayList<>(s.requestsPerWorker().values());
            for (int i = 0; i < counts.size(); i++) {
                data.addValue(total == 0 ? 0 : 100.0 * counts.get(i) / total, "worker " + (i + 1), label);
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(title(run, "requests per worker"), null,
                "% of requests", data, PlotOrientation.HORIZONTAL, true, false, false);
        chart.getCategoryPlot().getRangeAxis().setRange(0, 100);
        labelValues((BarRenderer) chart.getCategoryPlot().getRenderer(), "0.0");
        return Optional.of(finish(chart, run));
    }

    /** The factor that turns a JMH throughput unit into operations per second. */
    static double perSecond(Result r) {
        return switch (r.unit()) {
            case "ops/s" -> 1;
            case "ops/ms" -> 1e3;
            case "ops/us" -> 1e6;
            case "ops/ns" -> 1e9;
            case "ops/min" -> 1.0 / 60;
            default -> throw new IllegalArgumentException("unexpected JMH throughput unit " + r.unit());
        };
    }

    static double millis(Result r, String percentile) {
        return millis(r, r.percentiles().getOrDefault(percentile, Double.NaN));
    }

    static double millis(Result r, double value) {
        return switch (r.unit()) {
            case "s/op" -> value * 1e3;
            case "ms/op" -> value;
            case "us/op" -> value / 1e3;
            case "ns/op" -> value / 1e6;
            default -> throw new IllegalArgumentException("unexpected JMH unit " + r.unit());
        };
    }

    static String title(BenchmarkRun run, String what) {
        return run.module() + " · " + run.name() + " · " + what;
    }

    static void labelValues(BarRenderer renderer, String pattern) {
        // Round as the Markdown table (String.format) does, so a chart and its table agree.
        DecimalFormat format = new DecimalFormat(pattern);
        format.setRoundingMode(RoundingMode.HALF_UP);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
    }

    static JFreeChart finish(JFreeChart chart, BenchmarkRun run) {
        return finish(chart, run.caption());
    }

    static JFreeChart finish(JFreeChart chart, String caption) {
        chart.addSubtitle(new TextTitle(caption, CAPTION));
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7F7F7));
        return chart;
    }
}
