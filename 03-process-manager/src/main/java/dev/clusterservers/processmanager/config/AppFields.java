package dev.clusterservers.processmanager.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one app's keys in an {@link EcosystemFile}, each failing with the key's full
 * name, e.g. {@code process.json: apps[0].instances: expected a number, a numeric string or
 * "max", got true}.
 */
final class AppFields {
    private final EcosystemFile file;
    private final String at;
    private final ObjectNode app;

    /** {@code at} names the app in errors, e.g. {@code apps[0]}; {@code file} says which file. */
    AppFields(EcosystemFile file, String at, ObjectNode app) {
        this.file = file;
        this.at = at;
        this.app = app;
    }

    boolean has(String key) {
        return app.has(key) && !app.get(key).isNull();
    }

    private ConfigException wrong(String key, String expected) {
        return file.error(at + "." + key, "expected " + expected + ", got " + EcosystemFile.describe(app.get(key)));
    }

    String requiredString(String key) throws ConfigException {
        if (!has(key)) {
            throw file.error(at + "." + key, "missing");
        }
        JsonNode node = app.get(key);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw wrong(key, "a non-empty string");
        }
        return node.asText();
    }

    String string(String key, String fallback) throws ConfigException {
        return has(key) ? requiredString(key) : fallback;
    }

    boolean bool(String key, boolean fallback) throws ConfigException {
        if (!has(key)) {
            return fallback;
        }
        if (!app.get(key).isBoolean()) {
            throw wrong(key, "true or false");
        }
        return app.get(key).asBoolean();
    }

    /** A string (split on spaces, as PM2 does) or an array of strings. */
    List<String> strings(String key) throws ConfigException {
        List<String> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        JsonNode node = app.get(key);
        if (node.isTextual()) {
            for (String part : node.asText().trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
            return out;
        }
        if (!node.isArray()) {
            throw wrong(key, "a string or an array of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw wrong(key, "a string or an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    Map<String, String> env(String key) throws ConfigException {
        Map<String, String> env = new java.util.TreeMap<>();
        if (!has(key)) {
            return env;
        }
        JsonNode node = app.get(key);
        if (!node.isObject()) {
            throw wrong(key, "an object of names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw file.error(at + "." + key + "." + e.getKey(), "expected a string, number or boolean, got " + EcosystemFile.describe(e.getValue()));
            }
            env.put(e.getKey(), e.getValue().asText());
        }
        return env;
    }

    ExecMode execMode(String key) throws ConfigException {
        String text = string(key, "fork");
        return switch (text) {
            case "cluster", "cluster_mode" -> ExecMode.CLUSTER;
            case "fork", "fork_mode" -> ExecMode.FORK;
            default -> throw wrong(key, "\"cluster\" or \"fork\"");
        };
    }

    Listen listen(String key) throws ConfigException {
        String text = string(key, "shared");
        return switch (text) {
            case "shared" -> Listen.SHARED;
            case "reuseport" -> Listen.REUSEPORT;
            default -> throw wrong(key, "\"shared\" or \"reuseport\"");
        };
    }

    int instances(String key, int cores) throws ConfigException {
        if (!has(key)) {
            return 1;
        }
        JsonNode node = app.get(key);
        Integer n = null;
        if (node.isTextual() && node.asText().equals("max")) {
            return cores;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            n = node.asInt();
        } else if (node.isTextual() && node.asText().matches("-?\\d{1,4}")) {
            n = Integer.parseInt(node.asText());
        }
        if (n == null) {
            throw wrong(key, "a number, a numeric string or \"max\"");
        }
        int resolved = Values.instances(n, cores);
        if (resolved < 1) {
            throw file.error(at + "." + key, n + " leaves no instance on this machine's " + cores + " core"
                    + (cores == 1 ? "" : "s") + "; expected 1 to " + Values.MAX_INSTANCES + ", \"max\" or 0 (one per core)"
                    + (cores == 2 ? ", or -1 (all cores but one)" : "")
                    + (cores > 2 ? ", or -1 to -" + (cores - 1) + " (all cores but that many)" : ""));
        }
        if (resolved > Values.MAX_INSTANCES) {
            throw file.error(at + "." + key, "at most " + Values.MAX_INSTANCES + " instances, got " + resolved);
        }
        return resolved;
    }

    int port(String key, Map<String, String> env, ExecMode mode) throws ConfigException {
        if (has(key)) {
            JsonNode node = app.get(key);
            if (!node.isIntegralNumber() || node.asInt() < 0 || node.asInt() > 65_535) {
                throw wrong(key, "a port number from 0 to 65535");
            }
            return node.asInt();
        }
        String fromEnv = env.get("PORT");
        if (fromEnv != null) {
            if (!fromEnv.matches("\\d{1,5}") || Integer.parseInt(fromEnv) > 65_535) {
                throw file.error(at + ".env.PORT", "expected a port number, got \"" + fromEnv + "\"");
            }
            return Integer.parseInt(fromEnv);
        }
        return mode == ExecMode.CLUSTER ? EcosystemFile.DEFAULT_CLUSTER_PORT : AppSpec.NO_PORT;
    }

    int count(String key, int fallback) throws ConfigException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = app.get(key);
        if (!node.isIntegralNumber() || node.asInt() < 0) {
            throw wrong(key, "a whole number, 0 or more");
        }
        return node.asInt();
    }

    long millis(String key, long fallback) throws ConfigException {
        if (!has(key)) {
            return fallback;
        }
        try {
            return Values.millis(app.get(key));
        } catch (IllegalArgumentException e) {
            throw wrong(key, "milliseconds, or a duration like \"500ms\", \"2s\", \"1m\"");
        }
    }

    long bytes(String key) throws ConfigException {
        if (!has(key)) {
            return 0;
        }
        try {
            return Values.bytes(app.get(key));
        } catch (IllegalArgumentException e) {
            throw wrong(key, "bytes, or a size like \"150M\", \"1G\"");
        }
    }
}
