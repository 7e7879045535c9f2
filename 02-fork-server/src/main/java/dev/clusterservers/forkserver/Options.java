package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.policy.Policy;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The command line of both roles; the hidden options are what a master tells its children. */
@Command(name = "fork-server", mixinStandardHelpOptions = true, sortOptions = false,
        version = "fork-server, lesson 2 of java-cluster-servers",
        description = {
            "Starts a master that serves HTTP and N child JVMs that do the work. The master forwards"
                    + " every request to one child over the child's stdin and writes back what the child"
                    + " answers.",
            "Then: curl -i localhost:8000  (header X-Worker-Pid: which child answered)"
        },
        footer = {"", "Policies:",
            "  random         any ready child, at random (the original tutorial)",
            "  round-robin    each ready child in turn",
            "  least-pending  the ready child with the fewest unanswered requests",
            "", "Stop with Ctrl-C or SIGTERM: requests in flight finish, then all exit 0."})
public final class Options {
    public enum Role { MASTER, CHILD }

    static final int MAX_WORKERS = 64;
    /** A body must fit one IPC frame along with the request's headers. */
    static final int MAX_BODY_LIMIT = 4 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "TCP port the master serves; 0 = any free port, which is printed (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "child JVMs to start, 1 to " + MAX_WORKERS + " (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "random", converter = PolicyFlag.class,
            description = "which child gets a request: random, round-robin or least-pending (default: ${DEFAULT-VALUE})")
    Policy.Name policy;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "5s", converter = DurationFlag.class,
            description = "answer 504 if a child has not answered in this long: 500ms, 5s, 1m (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "128",
            description = "requests one child may have unanswered; when all children are full, 503 (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "largest request body forwarded; larger ones get 413 (default: ${DEFAULT-VALUE} = 1 MiB)")
    int maxBody;

    @Option(names = "--drain-timeout", paramLabel = "TIME", defaultValue = "10s", converter = DurationFlag.class,
            description = "on SIGTERM, how long requests in flight may take to finish (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--fault-injection", defaultValue = "false",
            description = "serve GET /corrupt, which makes a child break its IPC pipe; off: 404 (for the lesson only)")
    boolean faultInjection;

    @Option(names = "--role", hidden = true, defaultValue = "MASTER")
    Role role;

    @Option(names = "--child-id", hidden = true, defaultValue = "0")
    int childId;

    /** Started by {@link MasterLauncher}: stdin is the launcher's pipe, and its end means "stop". */
    @Option(names = MasterLauncher.LAUNCHED, hidden = true, defaultValue = "false")
    boolean launched;

    public int port() {
        return port;
    }

    public int workers() {
        return workers;
    }

    public Policy.Name policy() {
        return policy;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxBody() {
        return maxBody;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public boolean faultInjection() {
        return faultInjection;
    }

    public Role role() {
        return role;
    }

    public int childId() {
        return childId;
    }

    public boolean launched() {
        return launched;
    }

    /** Checks what picocli's types cannot; called once the command line is parsed. */
    void validate() {
        check(port >= 0 && port <= 65_535, "--port must be between 0 and 65535, got " + port);
        check(workers >= 1 && workers <= MAX_WORKERS, "--workers must be between 1 and " + MAX_WORKERS + ", got " + workers);
        check(!timeout.isZero(), "--timeout must be more than 0");
        check(maxInFlight >= 1, "--max-in-flight must be at least 1, got " + maxInFlight);
        check(maxBody >= 0 && maxBody <= MAX_BODY_LIMIT,
                "--max-body must be between 0 and " + MAX_BODY_LIMIT + " bytes, got " + maxBody);
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }

    /** The effective configuration, printed at start so a learner sees what is running. */
    String describe() {
        return "workers=" + workers + " policy=" + policy + " port=" + port + " timeout=" + timeout.toMillis() + "ms"
                + " max-in-flight=" + maxInFlight + " max-body=" + maxBody + " drain-timeout=" + drainTimeout.toSeconds() + "s"
                + " fault-injection=" + (faultInjection ? "on" : "off");
    }

    static final class PolicyFlag implements ITypeConverter<Policy.Name> {
        @Override
        public Policy.Name convert(String value) {
            try {
                return Policy.Name.fromFlag(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 500ms}, {@code 5s}, {@code 1m}; a bare number is seconds. */
    static final class DurationFlag implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return positive(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
                }
                if (v.endsWith("s")) {
                    return positive(Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))), value);
                }
                if (v.endsWith("m")) {
                    return positive(Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))), value);
                }
                return positive(Duration.ofSeconds(Long.parseLong(v)), value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a time such as 500ms, 5s or 1m");
            }
        }

        private static Duration positive(Duration d, String value) {
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return d;
        }
    }
}
