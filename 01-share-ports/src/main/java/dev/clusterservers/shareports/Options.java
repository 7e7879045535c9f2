package dev.clusterservers.shareports;

import dev.clusterservers.shareports.sharing.Strategy;
import dev.clusterservers.shareports.visits.StoreChoice;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The command line of both roles; the hidden options are what a master tells its workers. */
@Command(name = "share-ports", mixinStandardHelpOptions = true, sortOptions = false,
        version = "share-ports, lesson 1 of java-cluster-servers",
        description = {
            "Starts a master and N worker JVMs that all serve HTTP on one port, as Node's cluster module does.",
            "Then: curl -i localhost:8000  (header X-Worker-Pid: which worker answered)",
            "      curl -s -b /tmp/cookies -c /tmp/cookies localhost:8000/visits",
            "        (a visit counter per session, kept in --store)"
        },
        footer = {"", "Strategies:",
            "  round-robin  the master accepts each connection, hands it to the next worker",
            "  shared       the master binds; the workers inherit the socket and accept on it",
            "  reuseport    each worker binds its own SO_REUSEPORT socket; the kernel picks",
            "", "Stop with Ctrl-C or SIGTERM: workers finish requests in flight, then all exit 0."})
public final class Options {
    public enum Role { MASTER, WORKER }

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N|max", defaultValue = "4", converter = WorkerCount.class,
            description = "worker JVMs to start; max = one per core (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "TCP port to serve; 0 = any free port, which is printed (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "round-robin", converter = StrategyFlag.class,
            description = "how the workers share the port: round-robin, shared or reuseport (default: ${DEFAULT-VALUE})")
    Strategy strategy;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long a stopping worker may finish the requests in flight (default: ${DEFAULT-VALUE})")
    int drainSeconds;

    @Option(names = "--tune-workers", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "size each worker JVM for its share of the cores: threads, GC, JIT (default: ${DEFAULT-VALUE})")
    boolean tuneWorkers;

    @Option(names = "--store", paramLabel = "memory|URL", defaultValue = "memory", converter = StoreFlag.class,
            description = "where GET /visits counts: memory (each worker its own heap) or redis://host:port "
                    + "(one Redis every worker shares) (default: ${DEFAULT-VALUE})")
    StoreChoice store;

    @Option(names = "--role", hidden = true, defaultValue = "MASTER")
    Role role;

    @Option(names = "--worker-id", hidden = true, defaultValue = "0")
    int workerId;

    @Option(names = "--control", hidden = true)
    Path control;

    public int workers() {
        return workers;
    }

    public int port() {
        return port;
    }

    public Strategy strategy() {
        return strategy;
    }

    public Duration drainTimeout() {
        return Duration.ofSeconds(drainSeconds);
    }

    public boolean tuneWorkers() {
        return tuneWorkers;
    }

    public StoreChoice store() {
        return store;
    }

    public Role role() {
        return role;
    }

    public int workerId() {
        return workerId;
    }

    public Path control() {
        return control;
    }

    /** Checks what picocli's types cannot; called once the command line is parsed. */
    void validate() {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        if (drainSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--drain-timeout must not be negative, got " + drainSeconds);
        }
    }

    /** The effective configuration, printed at start so a learner sees what is running. */
    String describe() {
        return "strategy=" + strategy + " workers=" + workers + " port=" + port
                + " drain-timeout=" + drainSeconds + "s tune-workers=" + tuneWorkers + " store=" + store.flag();
    }

    /** {@code --workers 4} or {@code --workers max}. */
    static final class WorkerCount implements ITypeConverter<Integer> {
        static final int LIMIT = 64;

        @Override
        public Integer convert(String value) {
            if ("max".equalsIgnoreCase(value)) {
                return Runtime.getRuntime().availableProcessors();
            }
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number or 'max'");
            }
            if (n < 1 || n > LIMIT) {
                throw new TypeConversionException("must be between 1 and " + LIMIT + ", got " + n);
            }
            return n;
        }
    }

    static final class StrategyFlag implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            try {
                return Strategy.fromFlag(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --store memory} or {@code --store redis://host:port}; anything else names the flag and says why. */
    static final class StoreFlag implements ITypeConverter<StoreChoice> {
        @Override
        public StoreChoice convert(String value) {
            try {
                return StoreChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
