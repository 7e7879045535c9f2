package dev.clusterservers.diagrams;

import dev.clusterservers.diagrams.LabRecord.Count;
import dev.clusterservers.diagrams.LabRecord.Event;
import dev.clusterservers.diagrams.LabRecord.Outcome;
import dev.clusterservers.diagrams.LabRecord.Run;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.CategoryTableXYDataset;

/**
 * The charts of lesson 04's lab: per run, what the client saw each second (answers stacked by
 * host and release above, failures by kind below, the lab's steps as dashed lines); and what
 * the HAProxy hop costs the server per request.
 */
public final class LabCharts {
    /** One hue per host, none of them a failure's: blue, green, teal, indigo, olive, slate. */
    private static final Color[] HOSTS = {new Color(0x4C78A8), new Color(0x54A24B), new Color(0x72B7B2),
        new Color(0x6A5ACD), new Color(0x8C9A3C), new Color(0x5F7A8C)};
    /** Failures in warm, dark or loud colours, so a red sliver among the blues and greens is seen. */
    private static final Map<Outcome, Color> FAILURES = Map.of(Outcome.STATUS_5XX, new Color(0xE45756),
            Outcome.REFUSED, new Color(0xF58518), Outcome.RESET, new Color(0x8C1C13), Outcome.EOF, new Color(0xEECA3B),
            Outcome.TIMEOUT, new Color(0x333333), Outcome.STATUS_4XX, new Color(0x9D755D));
    /** Beyond this many releases in one run (a soak), the legend names hosts, not every host and release. */
    private static final int RELEASES_IN_LEGEND = 3;
    /** Marker labels step down the plot over at most this many rows, so that steps close in time stay readable. */
    private static final int LABEL_ROWS = 6;
    /** The plot's width in a chart RenderCharts.WIDTH wide, and a 10-point character's: enough to keep labels apart. */
    private static final double PLOT_PIXELS = 830;
    private static final double CHARACTER_PIXELS = 6;
    private static final Font MARKER = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final int MAX_LABEL = 18;
    /** Bars in a timeline at the most: about 3 pixels each, in a chart RenderCharts.WIDTH wide. */
    private static final int MOST_BARS = 240;
    private static final Pattern DEPLOY_STARTS = Pattern.compile("deploy (\\S+) starts");
    private static final Pattern DEPLOY_DONE = Pattern.compile("deploy of (\\S+) done.*");
    /** "h1: drain (...)", "every host: `jpm restart api` ...": who, then what. */
    private static final Pattern ON_HOST = Pattern.compile("([\\w -]+?): (.+)");
    private static final Pattern JPM_VERB = Pattern.compile("`jpm (\\w+)");

    private LabCharts() {
    }

    /** Every chart of the record, by file-name suffix, in the order a README shows them. */
    static Map<String, JFreeChart> charts(LabRecord record) {
        Map<String, JFreeChart> charts = new LinkedHashMap<>();
        for (Run run : record.runs()) {
            String key = slug(run.name()) + "-timeline";
            // Two runs with one name still get a chart each.
            charts.put(charts.containsKey(key) ? slug(run.name()) + "-" + (charts.size() + 1) + "-timeline" : key,
                    timeline(record, run));
        }
        hopCost(record).ifPresent(chart -> charts.put("hop-cost", chart));
        return charts;
    }

    /**
     * What the client saw each second of one run: answered requests stacked by host and release
     * ("h1 · v1", "h1 · v2"), failed ones by kind on a scale of their own below (a handful among
     * thousands would not show on the answers' scale), and the lab's steps as dashed lines.
     */
    public static JFreeChart timeline(LabRecord record, Run run) {
        // Up to the last second counted, or the last step if it came later: no step falls off the chart.
        int seconds = Math.max(run.lastSecond() + 1, (int) Math.ceil(run.events().stream().mapToDouble(Event::second).max().orElse(0)));
        NumberAxis time = new NumberAxis("seconds since the load started" + averaged(seconds));
        time.setRange(0, seconds);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(8);
        XYPlot answers = answers(run, seconds);
        boolean anyFailed = run.failed("GET") + run.failed("POST") > 0;
        plot.add(answers, anyFailed ? 3 : 6);
        plot.add(failures(run, seconds), 1);
        markSteps(plot, answers, run, seconds);
        plot.setFixedLegendItems(legend(run));

        JFreeChart chart = new JFreeChart(run.name(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "%s · %s · HAProxy retries: %s · %,d requests, %,d failed",
                record.module(), record.name(), run.retries(), run.requests(), run.failed("GET") + run.failed("POST")), SUBTITLE));
        Charts.finish(chart, record.caption());
        plot.getSubplots().forEach(p -> p.setBackgroundPaint(new Color(0xF7F7F7)));
        return chart;
    }

    private static XYPlot answers(Run run, int seconds) {
        CategoryTableXYDataset data = dataset();
        StackedXYBarRenderer renderer = renderer();
        List<String> releases = releases(run);
        int series = 0;
        for (String host : hosts(run)) {
            for (String release : releases) {
                double[] perSecond = perSecond(run, c -> c.outcome() == Outcome.OK && c.host().equals(host)
                        && c.release().equals(release), seconds);
                if (java.util.Arrays.stream(perSecond).sum() > 0) {
                    add(data, host + " · " + release, perSecond, seconds);
                    renderer.setSeriesPaint(series++, shade(host, releases, release));
                }
            }
        }
        NumberAxis axis = new NumberAxis("answered per second");
        // Room above the bars for the steps' labels.
        axis.setUpperMargin(0.35);
        return new XYPlot(data, null, axis, renderer);
    }

    private static XYPlot failures(Run run, int seconds) {
        CategoryTableXYDataset data = dataset();
        StackedXYBarRenderer renderer = renderer();
        int series = 0;
        for (Outcome kind : Outcome.values()) {
            if (kind.failed() && run.total(kind) > 0) {
                add(data, kind.label, perSecond(run, c -> c.outcome() == kind, seconds), seconds);
                renderer.setSeriesPaint(series++, FAILURES.get(kind));
            }
        }
        NumberAxis axis = new NumberAxis("failed per second");
        if (bucketSeconds(seconds) == 1) {
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        if (series == 0) {
            axis.setRange(0, 1);
            XYTextAnnotation none = new XYTextAnnotation("no failed request", seconds / 2.0, 0.5);
            none.setFont(SUBTITLE);
            none.setPaint(Color.DARK_GRAY);
            plot.addAnnotation(none);
        }
        return plot;
    }

    /**
     * A dashed line at each step of the lab on both plots, and one short label per group of steps
     * close in time, on the first row down where it overlaps no other label. A label that fits on
     * no row is left out (its line stays): text on text reads as neither.
     */
    private static void markSteps(CombinedDomainXYPlot plot, XYPlot labelled, Run run, int seconds) {
        double[] rowEnds = new double[LABEL_ROWS];
        java.util.Arrays.fill(rowEnds, Double.NEGATIVE_INFINITY);
        double pixelsPerSecond = PLOT_PIXELS / seconds;
        for (Map.Entry<Double, String> step : stepGroups(run.events(), seconds).entrySet()) {
            // Right of the line, or left of it near the plot's right edge, where the text would be cut.
            boolean nearEnd = step.getKey() > seconds * 0.75;
            double x = step.getKey() * pixelsPerSecond;
            double width = step.getValue().length() * CHARACTER_PIXELS + 8;
            double from = nearEnd ? x - width : x;
            int row = 0;
            while (row < LABEL_ROWS && rowEnds[row] > from) {
                row++;
            }
            for (XYPlot subplot : plot.getSubplots()) {
                ValueMarker line = new ValueMarker(step.getKey(), Color.DARK_GRAY, new BasicStroke(0.9f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 1f, new float[] {3f, 3f}, 0f));
                if (subplot == labelled && row < LABEL_ROWS) {
                    line.setLabel(step.getValue());
                    line.setLabelFont(MARKER);
                    line.setLabelBackgroundColor(new Color(255, 255, 255, 210));
                    line.setLabelAnchor(nearEnd ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
                    line.setLabelTextAnchor(nearEnd ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
                    line.setLabelOffset(new RectangleInsets(4 + 14 * row, 3, 3, 3));
                }
                subplot.addDomainMarker(line);
            }
            if (row < LABEL_ROWS) {
                rowEnds[row] = from + width;
            }
        }
    }

    /**
     * The run's steps, those within a moment of each other (1% of the run, at least half a second)
     * drawn as one line at the first of them, their short labels joined: "h1 ready, h2 drain, reload".
     */
    static Map<Double, String> stepGroups(List<Event> events, int seconds) {
        double moment = Math.max(0.5, seconds / 100.0);
        Map<Double, String> groups = new LinkedHashMap<>();
        List<Event> sorted = events.stream().sorted(Comparator.comparingDouble(Event::second)).toList();
        double start = Double.NEGATIVE_INFINITY;
        String lastWho = null;
        for (Event event : sorted) {
            String label = shortLabel(event.what());
            String who = label.contains(" ") ? label.substring(0, label.indexOf(' ')) : null;
            if (event.second() - start > moment) {
                start = event.second();
                groups.put(start, label);
            } else {
                // The same host twice in a row is named once: "h2 drain, reload".
                String shown = who != null && who.equals(lastWho) && ON_HOST_LABEL.matcher(label).matches()
                        ? label.substring(who.length() + 1) : label;
                groups.merge(start, shown, (a, b) -> a + ", " + b);
            }
            lastWho = who;
        }
        return groups;
    }

    /** A label that names a host first ("h2 drain"), whose host may be left out after the same host's step. */
    private static final Pattern ON_HOST_LABEL = Pattern.compile("h\\d+ .+");

    /**
     * A step as a few words a chart can carry: "h1: drain (HAProxy sends it no new request)" is
     * "h1 drain", "h1: 0 sessions; shipping v2 and running `jpm reload api`" is "h1 reload",
     * "deploy of v2 done in 51347 ms" is "v2 done". A step the lab may add later is cut short.
     */
    static String shortLabel(String what) {
        Matcher m = DEPLOY_STARTS.matcher(what);
        if (m.matches()) {
            return "deploy " + m.group(1);
        }
        m = DEPLOY_DONE.matcher(what);
        if (m.matches()) {
            return m.group(1) + " done";
        }
        m = ON_HOST.matcher(what);
        if (m.matches()) {
            return m.group(1) + " " + verb(m.group(2));
        }
        return cut(what);
    }

    /** What was done to a host: the jpm command it ran, "ready" when it came back, else the first word. */
    private static String verb(String rest) {
        Matcher jpm = JPM_VERB.matcher(rest);
        if (jpm.find()) {
            return jpm.group(1);
        }
        if (rest.contains("ready")) {
            return "ready";
        }
        return cut(rest.split("[\\s,;(]+")[0]);
    }

    private static String cut(String text) {
        String shorter = text.length() > MAX_LABEL ? text.replaceAll("\\s*\\(.*?\\)", "") : text;
        return shorter.length() > MAX_LABEL ? shorter.substring(0, MAX_LABEL - 1) + "…" : shorter;
    }

    /** The median server CPU per request on each path, its whisker reaching the farthest round. */
    public static Optional<JFreeChart> hopCost(LabRecord record) {
        Map<String, Cost.Figure> figures = record.hopCostByPath();
        if (figures.isEmpty()) {
            return Optional.empty();
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        figures.forEach((path, f) -> data.add(f.median(), CostCharts.whisker(f), "server CPU per request", path));
        JFreeChart chart = CostCharts.bars(record.module() + " · " + record.name() + " · the HAProxy hop",
                record.caption(), "µs of server CPU per answered request (median of the rounds; whisker: their range)",
                data, "#,##0.0");
        // One series, in the neutral colour of every single-series bar chart: red is for failures here.
        chart.getCategoryPlot().getRenderer().setSeriesPaint(0, HOSTS[0]);
        return Optional.of(chart);
    }

    /** "rolling deploy (drain, jpm reload, ready) to v2" → "rolling-deploy-drain-jpm-reload-ready-to-v2". */
    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "run" : slug;
    }

    /** Hosts in their numeric order (h2 before h10), only those that answered. */
    static List<String> hosts(Run run) {
        return run.timeline().stream().filter(c -> c.outcome() == Outcome.OK).map(Count::host).distinct()
                .sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())).toList();
    }

    /** Releases in the order they first answered: the old one, then the new one. */
    static List<String> releases(Run run) {
        Map<String, Integer> first = new LinkedHashMap<>();
        run.timeline().stream().filter(c -> c.outcome() == Outcome.OK)
                .sorted(Comparator.comparingInt(Count::second))
                .forEach(c -> first.putIfAbsent(c.release(), c.second()));
        return new ArrayList<>(first.keySet());
    }

    /**
     * The host's hue for the run's last release, lighter for the one before (and so on, alternating),
     * so a host's switch to a new release shows as a change of shade.
     */
    private static Color shade(String host, List<String> releases, String release) {
        Color base = HOSTS[Math.floorMod(hostIndex(host), HOSTS.length)];
        if ((releases.size() - 1 - releases.indexOf(release)) % 2 == 0) {
            return base;
        }
        return new Color((base.getRed() + 255) / 2, (base.getGreen() + 255) / 2, (base.getBlue() + 255) / 2);
    }

    private static int hostIndex(String host) {
        String digits = host.replaceAll("\\D", "");
        return digits.isEmpty() ? Math.abs(host.hashCode()) : Integer.parseInt(digits) - 1;
    }

    /** One entry per host and release, or per host when a soak has many releases; then each failure kind that happened. */
    private static LegendItemCollection legend(Run run) {
        LegendItemCollection items = new LegendItemCollection();
        List<String> releases = releases(run);
        for (String host : hosts(run)) {
            if (releases.size() > RELEASES_IN_LEGEND) {
                items.add(new LegendItem(host + " · " + releases.size() + " releases, shade alternates",
                        shade(host, releases, releases.get(releases.size() - 1))));
                continue;
            }
            for (String release : releases) {
                boolean answered = run.timeline().stream().anyMatch(c -> c.outcome() == Outcome.OK && c.host().equals(host)
                        && c.release().equals(release));
                if (answered) {
                    items.add(new LegendItem(host + " · " + release, shade(host, releases, release)));
                }
            }
        }
        for (Outcome kind : Outcome.values()) {
            if (kind.failed() && run.total(kind) > 0) {
                items.add(new LegendItem("failed: " + kind.label, FAILURES.get(kind)));
            }
        }
        return items;
    }

    /**
     * One bar per second, or in a long run (a soak of many deploys) one per few seconds, so that
     * bars stay wide enough to see: at most {@link #MOST_BARS} of them.
     */
    static int bucketSeconds(int seconds) {
        return Math.max(1, (int) Math.ceil(seconds / (double) MOST_BARS));
    }

    private static String averaged(int seconds) {
        int bucket = bucketSeconds(seconds);
        return bucket == 1 ? "" : " (each bar: the mean per second of " + bucket + " s)";
    }

    /** Requests per second in each bar: the count of its seconds, divided by how many seconds it covers. */
    static double[] perSecond(Run run, java.util.function.Predicate<Count> which, int seconds) {
        int bucket = bucketSeconds(seconds);
        double[] perSecond = new double[(seconds + bucket - 1) / bucket];
        run.timeline().stream().filter(which).forEach(c -> perSecond[c.second() / bucket] += c.count());
        for (int i = 0; i < perSecond.length; i++) {
            perSecond[i] /= Math.min(bucket, seconds - i * bucket);
        }
        return perSecond;
    }

    private static void add(CategoryTableXYDataset data, String series, double[] perSecond, int seconds) {
        int bucket = bucketSeconds(seconds);
        for (int i = 0; i < perSecond.length; i++) {
            data.add(i * bucket, perSecond[i], series);
        }
    }

    /** Each bar covers the seconds it counts, [s, s+n), so a step at 3.1 s sits inside the bar of second 3. */
    private static CategoryTableXYDataset dataset() {
        CategoryTableXYDataset data = new CategoryTableXYDataset();
        data.setIntervalPositionFactor(0.0);
        return data;
    }

    private static StackedXYBarRenderer renderer() {
        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.05);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        return renderer;
    }
}
