package dev.clusterservers.shareports;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis in a container, where a Docker engine runs. {@link #stop()} pauses the container
 * rather than stopping it: a restarted container may get another host port, a paused one
 * keeps its port and simply answers nothing, so clients reach their timeouts.
 */
public final class ContainerRedisServer implements RedisServer {
    static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");
    static final int REDIS_PORT = 6379;

    private final GenericContainer<?> container;

    private ContainerRedisServer(GenericContainer<?> container) {
        this.container = container;
    }

    static ContainerRedisServer start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no")
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
        container.start();
        return new ContainerRedisServer(container);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(REDIS_PORT);
    }

    @Override
    public void stop() {
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void restart() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void close() {
        container.stop();
    }
}
