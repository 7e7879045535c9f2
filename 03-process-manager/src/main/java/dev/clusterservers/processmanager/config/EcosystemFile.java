package dev.clusterservers.processmanager.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads PM2's ecosystem file ({@code process.json}), adapted to Java, into checked
 * {@link AppSpec}s. The tutorial's file is accepted as it is:
 * {@code {"apps":[{"script":"api.jar","instances":"4","exec_mode":"cluster"}]}}.
 *
 * <p>Everything is checked before anything starts, and the first problem is reported with
 * the file and the key, e.g. {@code process.json: apps[0].instances: expected a number, a
 * numeric string or "max", got true}. An unknown key is an error rather than ignored, because
 * a misspelt {@code max_memory_restrat} would otherwise silently run with no limit.
 */
public final class EcosystemFile {
    /** The tutorial's port, used in cluster mode when neither {@code port} nor {@code env.PORT} says. */
    public static final int DEFAULT_CLUSTER_PORT = 8000;
    static final int DEFAULT_MAX_RESTARTS = 16;
    static final long DEFAULT_MIN_UPTIME_MS = 1_000;
    static final long DEFAULT_EXP_BACKOFF_MS = 100;
    static final long DEFAULT_MEMORY_CHECK_MS = 5_000;
    /** Longer than PM2's 1.6 s: a JVM finishing its requests in flight needs more. */
    static final long DEFAULT_KILL_TIMEOUT_MS = 5_000;
    /** Longer than PM2's 3 s: a JVM on a busy two-core machine can take that long to listen. */
    static final long DEFAULT_LISTEN_TIMEOUT_MS = 30_000;

    /** Every key an app may have; anything else is a typo. */
    static final Set<String> KEYS = Set.of(
            "name", "script", "args", "jvm_args", "classpath", "env", "cwd", "instances", "exec_mode", "port",
            "autorestart", "max_restarts", "min_uptime", "restart_delay", "exp_backoff_restart_delay",
            "max_memory_restart", "memory_check_interval", "kill_timeout", "wait_ready", "listen_timeout",
            "listen");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MAIN_CLASS = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    /**
     * An ecosystem file is four levels deep ({@code {"apps":[{"env":{...}}]}}); a much deeper one
     * is a mistake or an attack, refused while it is read rather than built into a tree first.
     */
    static final int MAX_NESTING_DEPTH = 32;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    private final String source;
    private final Path baseDir;
    private final int cores;

    /**
     * @param source  how errors name where the configuration came from (the file's name)
     * @param baseDir relative paths are resolved against this folder (the file's own)
     * @param cores   what "max" means
     */
    public EcosystemFile(String source, Path baseDir, int cores) {
        this.source = source;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.cores = cores;
    }

    /** Reads and checks a file; relative paths in it are relative to its folder. */
    public static List<AppSpec> read(Path file) throws ConfigException {
        return read(file, null);
    }

    /**
     * As {@link #read(Path)}, with {@code port} (when not null) in place of the one app's
     * {@code "port"}: {@code jpm start process.json --port 8080}.
     */
    public static List<AppSpec> read(Path file, Integer port) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(absolute);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        String text = utf8(file, bytes);
        return new EcosystemFile(file.toString(), absolute.getParent(), Runtime.getRuntime().availableProcessors())
                .parse(text, port);
    }

    /**
     * The file's text, or where it stops being UTF-8: JSON is UTF-8, and the JDK's own message
     * for a stray Latin-1 byte ("Input length = 1") names neither the file nor the place.
     */
    static String utf8(Path file, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            throw new ConfigException(file + ": not UTF-8: byte " + String.format("0x%02X", bytes[offset] & 0xFF)
                    + " at offset " + offset + " (line " + lineOf(bytes, offset) + ") is not part of a UTF-8 character;"
                    + " save the file as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Parses a whole file's text. */
    public List<AppSpec> parse(String text) throws ConfigException {
        return parse(text, null);
    }

    /**
     * Parses a whole file's text; a {@code port} that is not null replaces the {@code "port"} of
     * its one app (one port for two apps would be a conflict, so a file of several is refused).
     */
    public List<AppSpec> parse(String text, Integer port) throws ConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new ConfigException(source + ": not valid JSON: nesting deeper than " + MAX_NESTING_DEPTH
                    + " levels (an ecosystem file needs four)");
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new ConfigException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (where == null ? "" : " (line " + where.getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw error("(top level)", "expected an object like {\"apps\": [...]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("apps")) {
                throw error(key, "unknown key; the top level has only \"apps\"");
            }
        }
        JsonNode apps = root.get("apps");
        if (apps == null || !apps.isArray() || apps.isEmpty()) {
            throw error("apps", "expected a non-empty array of apps");
        }
        if (port != null) {
            if (apps.size() != 1) {
                throw error("apps", "--port gives one app a port, and this file has " + apps.size()
                        + "; set \"port\" in each app instead");
            }
            if (apps.get(0).isObject()) {
                ((ObjectNode) apps.get(0)).put("port", port);
            }
        }
        List<AppSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < apps.size(); i++) {
            AppSpec spec = app("apps[" + i + "]", apps.get(i));
            if (!names.add(spec.name())) {
                throw error("apps[" + i + "].name", "two apps are named '" + spec.name() + "'");
            }
            specs.add(spec);
        }
        return specs;
    }

    /** Checks one app given as a JSON object, e.g. built from {@code jpm start api.jar -i 4}. */
    public AppSpec app(String at, JsonNode app) throws ConfigException {
        if (!app.isObject()) {
            throw error(at, "expected an object, got " + describe(app));
        }
        for (Iterator<String> it = app.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw error(at + "." + key, "unknown key" + suggestion(key));
            }
        }
        Field f = new Field(at, (ObjectNode) app);
        String scriptText = f.requiredString("script");
        List<String> classpath = f.strings("classpath");
        List<String> resolvedClasspath = new ArrayList<>();
        for (String entry : classpath) {
            resolvedClasspath.add(existingPath(at + ".classpath", entry.endsWith("/*") ? entry.substring(0, entry.length() - 2) : entry)
                    + (entry.endsWith("/*") ? "/*" : ""));
        }
        Script script = script(at + ".script", scriptText, resolvedClasspath);
        String name = f.string("name", defaultName(script));
        if (!NAME.matcher(name).matches()) {
            throw error(at + ".name", "'" + name + "' must be letters, digits, '.', '_' or '-' (it names log files)");
        }
        Map<String, String> env = f.env("env");
        String cwd = f.has("cwd") ? existingPath(at + ".cwd", f.requiredString("cwd")) : baseDir.toString();
        ExecMode mode = f.execMode("exec_mode");
        int instances = f.instances("instances", cores);
        int port = f.port("port", env, mode);
        if (mode == ExecMode.FORK && instances > 1 && port != AppSpec.NO_PORT) {
            throw error(at + ".exec_mode", "fork mode would start " + instances + " processes that each bind port "
                    + port + "; use \"cluster\" to share the port");
        }
        return new AppSpec(name, script, f.strings("args"), f.strings("jvm_args"), env, cwd, instances, mode, port,
                f.bool("autorestart", true), f.count("max_restarts", DEFAULT_MAX_RESTARTS),
                f.millis("min_uptime", DEFAULT_MIN_UPTIME_MS), f.millis("restart_delay", 0),
                f.millis("exp_backoff_restart_delay", DEFAULT_EXP_BACKOFF_MS), f.bytes("max_memory_restart"),
                f.millis("memory_check_interval", DEFAULT_MEMORY_CHECK_MS),
                f.millis("kill_timeout", DEFAULT_KILL_TIMEOUT_MS), f.bool("wait_ready", false),
                f.millis("listen_timeout", DEFAULT_LISTEN_TIMEOUT_MS), f.listen("listen"));
    }

    private Script script(String at, String text, List<String> classpath) throws ConfigException {
        if (text.endsWith(".jar")) {
            return new Script(Script.Kind.JAR, existingPath(at, text), classpath);
        }
        if (text.endsWith(".java")) {
            return new Script(Script.Kind.SOURCE_FILE, existingPath(at, text), classpath);
        }
        boolean isFile = Files.exists(baseDir.resolve(text));
        if (MAIN_CLASS.matcher(text).matches() && !isFile) {
            if (classpath.isEmpty()) {
                throw error(at, "'" + text + "' looks like a main class: give the \"classpath\" to find it in");
            }
            return new Script(Script.Kind.MAIN_CLASS, text, classpath);
        }
        throw error(at, "'" + text + "' is not a .jar, a .java file or a main class with a \"classpath\"");
    }

    private String existingPath(String at, String text) throws ConfigException {
        Path path = baseDir.resolve(text).normalize();
        if (!Files.exists(path)) {
            throw error(at, "file not found: " + path);
        }
        return path.toString();
    }

    private static String defaultName(Script script) {
        String target = script.target();
        if (script.kind() == Script.Kind.MAIN_CLASS) {
            return target.substring(target.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        }
        String file = Path.of(target).getFileName().toString();
        return file.substring(0, file.lastIndexOf('.'));
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : KEYS) {
            int d = Values.editDistance(key, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best == null ? "; known keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)) : " (did you mean \"" + best + "\"?)";
    }

    ConfigException error(String at, String message) {
        return new ConfigException(source + ": " + at + ": " + message);
    }

    static String describe(JsonNode node) {
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.toString();
    }

    /** Typed reads of one app's keys, each failing with the key's full name. */
    private final class Field {
        private final String at;
        private final ObjectNode app;

        Field(String at, ObjectNode app) {
            this.at = at;
            this.app = app;
        }

        boolean has(String key) {
            return app.has(key) && !app.get(key).isNull();
        }

        private ConfigException wrong(String key, String expected) {
            return error(at + "." + key, "expected " + expected + ", got " + describe(app.get(key)));
        }

        String requiredString(String key) throws ConfigException {
            if (!has(key)) {
                throw error(at + "." + key, "missing");
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
                    throw error(at + "." + key + "." + e.getKey(), "expected a string, number or boolean, got " + describe(e.getValue()));
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
                throw error(at + "." + key, n + " leaves no instance on this machine's " + cores + " core"
                        + (cores == 1 ? "" : "s") + "; expected 1 to " + Values.MAX_INSTANCES + ", \"max\" or 0 (one per core)"
                        + (cores == 2 ? ", or -1 (all cores but one)" : "")
                        + (cores > 2 ? ", or -1 to -" + (cores - 1) + " (all cores but that many)" : ""));
            }
            if (resolved > Values.MAX_INSTANCES) {
                throw error(at + "." + key, "at most " + Values.MAX_INSTANCES + " instances, got " + resolved);
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
                    throw error(at + ".env.PORT", "expected a port number, got \"" + fromEnv + "\"");
                }
                return Integer.parseInt(fromEnv);
            }
            return mode == ExecMode.CLUSTER ? DEFAULT_CLUSTER_PORT : AppSpec.NO_PORT;
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
}
