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
        AppFields f = new AppFields(this, at, (ObjectNode) app);
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
}
