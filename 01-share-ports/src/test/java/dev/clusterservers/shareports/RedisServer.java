package dev.clusterservers.shareports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * A real Redis for the tests of one class, never a mock: in a container when a Docker engine
 * is there ({@link ContainerRedisServer}), otherwise a local {@code redis-server} process on
 * a free port ({@link LocalRedisServer}); with neither, the test is skipped and says how to
 * install Redis (in CI, where {@code CI=true}, it fails instead). Start it in
 * {@code @BeforeAll} (or on first use), {@link #close()} it in {@code @AfterAll}: that runs
 * even when a test failed.
 */
public sealed interface RedisServer extends AutoCloseable permits ContainerRedisServer, LocalRedisServer {
    /**
     * Testcontainers logs an ERROR with every strategy it tried when it finds no Docker engine,
     * which is the usual case here and no error of the tests: silenced unless asked for.
     */
    String DOCKER_SEARCH_LOGGER = "org.slf4j.simpleLogger.log.org.testcontainers.dockerclient";
    String INSTALL_HINT = "No Redis to test against: no Docker engine, and no redis-server on the PATH. "
            + "Install Redis to run these tests (Debian/Ubuntu: apt-get install redis-server).";

    /** Starts a Redis the best way this machine allows, or skips the calling test. */
    static RedisServer start() {
        if (dockerAvailable()) {
            RedisServer redis = ContainerRedisServer.start();
            System.err.println("Test Redis: a container at " + redis.url());
            return redis;
        }
        Optional<Path> binary = LocalRedisServer.findBinary();
        // On a developer's machine a missing Redis skips these tests; in CI it fails them,
        // so a CI that lost its redis-server package cannot go green without them.
        if (binary.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(INSTALL_HINT + " CI=true: failing instead of skipping.");
        }
        Assumptions.assumeTrue(binary.isPresent(), INSTALL_HINT);
        try {
            RedisServer redis = LocalRedisServer.start(binary.get());
            System.err.println("Test Redis: no Docker engine (-D" + DOCKER_SEARCH_LOGGER + "=debug says why), so "
                    + binary.get() + " at " + redis.url());
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String host();

    int port();

    /** What a worker's {@code --store} flag takes. */
    default String url() {
        return "redis://" + host() + ":" + port();
    }

    /** Redis goes away: its clients cannot reach it until {@link #restart()}. */
    void stop();

    /** Redis is back, at the same host and port. */
    void restart();

    /** Stops Redis for good and removes what it left. */
    @Override
    void close();

    private static boolean dockerAvailable() {
        System.getProperties().putIfAbsent(DOCKER_SEARCH_LOGGER, "off");
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
