package dev.clusterservers.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing the comparison measures: an approach with a number of workers, written as JMH's
 * parameter value {@code APPROACH/N} (e.g. {@code 01-reuseport/2}), which is also how it is
 * named in the JSON, the records and the charts. A Java approach run on another JDK than the
 * comparison's own ({@code --java}) carries that JDK's label: {@code 01-reuseport/2@jdk25}.
 *
 * @param jdk empty for the comparison's own JDK, else a {@link ServerJdk#label()}
 */
public record Configuration(Approach approach, int workers, String jdk) {

    public Configuration(Approach approach, int workers) {
        this(approach, workers, "");
    }

    public static Configuration parse(String value) {
        int at = value.indexOf('@');
        String jdk = at < 0 ? "" : value.substring(at + 1);
        String rest = at < 0 ? value : value.substring(0, at);
        int slash = rest.lastIndexOf('/');
        if (slash < 0 || (at >= 0 && jdk.isEmpty())) {
            throw new IllegalArgumentException("expected APPROACH/WORKERS or APPROACH/WORKERS@JDK, got '" + value + "'");
        }
        Approach approach = Approach.byId(rest.substring(0, slash));
        if (!jdk.isEmpty() && approach.isNode()) {
            throw new IllegalArgumentException(value + ": " + approach.id() + " runs on Node.js, not on a JDK");
        }
        return new Configuration(approach, Integer.parseInt(rest.substring(slash + 1)), jdk);
    }

    /**
     * Every approach at every worker count, the baseline once; each Java one again on every
     * other JDK, right after it, so the two are measured side by side; in the order they run.
     */
    public static List<Configuration> all(List<Approach> approaches, List<Integer> workerCounts, List<String> otherJdks) {
        List<Configuration> all = new ArrayList<>();
        for (Approach approach : approaches) {
            for (int workers : approach.workerCounts(workerCounts)) {
                all.add(new Configuration(approach, workers));
                if (!approach.isNode()) {
                    otherJdks.forEach(jdk -> all.add(new Configuration(approach, workers, jdk)));
                }
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return approach.id() + "/" + workers + (jdk.isEmpty() ? "" : "@" + jdk);
    }

    /** How the progress line names it: {@code 01 SO_REUSEPORT, 2 workers} ({@code , on jdk25}). */
    public String describe() {
        return approach.description() + (approach.isSingleProcess() ? "" : ", " + workers + (workers == 1 ? " worker" : " workers"))
                + (jdk.isEmpty() ? "" : ", on " + jdk);
    }
}
