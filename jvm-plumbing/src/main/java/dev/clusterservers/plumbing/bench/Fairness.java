package dev.clusterservers.plumbing.bench;

import java.util.Collection;

/** How evenly work was spread: Jain's index, 1.0 when every worker served the same, 1/n when one served all. */
public final class Fairness {
    private Fairness() {
    }

    public static double jainIndex(Collection<Long> perWorker) {
        if (perWorker.isEmpty()) {
            return 0;
        }
        double sum = 0;
        double sumOfSquares = 0;
        for (long count : perWorker) {
            sum += count;
            sumOfSquares += (double) count * count;
        }
        return sumOfSquares == 0 ? 0 : sum * sum / (perWorker.size() * sumOfSquares);
    }
}
