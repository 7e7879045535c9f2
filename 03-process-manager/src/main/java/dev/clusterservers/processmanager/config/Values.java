package dev.clusterservers.processmanager.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value rules of the ecosystem file that are worth a test of their own. */
public final class Values {
    /** More than this on one machine is a typo, not a plan. */
    public static final int MAX_INSTANCES = 64;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?)B?");

    private Values() {
    }

    /**
     * PM2's rule: a positive number is itself; 0 means one per core; -n means all cores but n.
     * 0 when -n leaves none: PM2 would quietly start one, which hides a typo like {@code -100}.
     */
    public static int instances(int requested, int cores) {
        if (requested > 0) {
            return requested;
        }
        return Math.max(0, cores + requested);
    }

    /** A number of milliseconds, or a string with a unit: "500ms", "2s", "1m", "1h". */
    public static long millis(JsonNode node) {
        if (node.isIntegralNumber() && node.asLong() >= 0) {
            return node.asLong();
        }
        if (node.isTextual()) {
            Matcher m = DURATION.matcher(node.asText().trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                return switch (unit) {
                    case "s" -> n * 1_000;
                    case "m" -> n * 60_000;
                    case "h" -> n * 3_600_000;
                    default -> n;
                };
            }
        }
        throw new IllegalArgumentException("not a duration: " + node);
    }

    /** A number of bytes, or PM2's sizes: "150M", "1G", "512K". */
    public static long bytes(JsonNode node) {
        if (node.isIntegralNumber() && node.asLong() > 0) {
            return node.asLong();
        }
        if (node.isTextual()) {
            Matcher m = SIZE.matcher(node.asText().trim().toUpperCase(Locale.ROOT));
            if (m.matches() && Long.parseLong(m.group(1)) > 0) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "K" -> n << 10;
                    case "M" -> n << 20;
                    case "G" -> n << 30;
                    default -> n;
                };
            }
        }
        throw new IllegalArgumentException("not a size: " + node);
    }

    /** Levenshtein distance, to suggest the key someone meant. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
