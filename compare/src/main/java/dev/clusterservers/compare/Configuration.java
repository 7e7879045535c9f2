package dev.clusterservers.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing the comparison measures: an approach with a number of workers, written as JMH's
 * parameter value {@code APPROACH/N} (e.g. {@code 01-reuseport/2}), which is also how it is
 * named in the JSON, the records and the charts.
 */
public record Configuration(Approach approach, int workers) {

    public static Configuration parse(String value) {
        int slash = value.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected APPROACH/WORKERS, got '" + value + "'");
        }
        return new Configuration(Approach.byId(value.substring(0, slash)), Integer.parseInt(value.substring(slash + 1)));
    }

    /** Every approach at every worker count, the baseline once; in the order they run. */
    public static List<Configuration> all(List<Approach> approaches, List<Integer> workerCounts) {
        List<Configuration> all = new ArrayList<>();
        for (Approach approach : approaches) {
            for (int workers : approach.workerCounts(workerCounts)) {
                all.add(new Configuration(approach, workers));
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return approach.id() + "/" + workers;
    }

    /** How the progress line names it: {@code 01 SO_REUSEPORT, 2 workers}. */
    public String describe() {
        return approach.description() + (approach.isSingleProcess() ? "" : ", " + workers + (workers == 1 ? " worker" : " workers"));
    }
}
