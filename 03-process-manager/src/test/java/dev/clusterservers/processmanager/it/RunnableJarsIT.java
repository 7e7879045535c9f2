package dev.clusterservers.processmanager.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the two runnable jars carry, read as {@code jar tf} would. {@code api.jar} is the
 * example app alone, like the tutorial's {@code api.js}: Javalin and the metrics client, none of
 * jpm. {@code 03-process-manager.jar} is jpm: nothing of another lesson.
 */
class RunnableJarsIT {

    private static List<String> entries(String jar) throws IOException {
        try (JarFile file = new JarFile(Path.of("target", jar).toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void theExampleAppJarHoldsTheAppJavalinAndTheMetricsClientOnly() throws IOException {
        List<String> entries = entries("api.jar");
        assertThat(entries).contains(
                "dev/clusterservers/processmanager/example/Api.class",
                "dev/clusterservers/processmanager/metrics/Metrics.class",
                "io/javalin/Javalin.class");
        assertThat(entries.stream().filter(name -> name.startsWith("dev/clusterservers/")))
                .allMatch(name -> name.startsWith("dev/clusterservers/processmanager/example/")
                        || name.startsWith("dev/clusterservers/processmanager/metrics/")
                        // The drain on SIGTERM and the serving on the selector thread, written once in jvm-plumbing.
                        || name.startsWith("dev/clusterservers/plumbing/CloseWhenDraining")
                        || name.startsWith("dev/clusterservers/plumbing/ServeOnSelectorThread")
                        // The property that keeps Jetty from starting JMX, set in one place for every lesson.
                        || name.startsWith("dev/clusterservers/plumbing/JettyWithoutJmx")
                        || name.endsWith("/"));
        assertThat(entries).noneMatch(name -> name.startsWith("redis/clients/")
                || name.startsWith("org/apache/commons/pool2/")
                || name.startsWith("com/fasterxml/jackson/")
                || name.startsWith("picocli/")
                || name.startsWith("com/googlecode/lanterna/")
                || name.startsWith("org/objectweb/asm/")
                || name.startsWith("org/newsclub/"));
    }

    @Test
    void theJpmJarHoldsNothingOfAnotherLesson() throws IOException {
        List<String> entries = entries("03-process-manager.jar");
        assertThat(entries).contains(
                "dev/clusterservers/processmanager/Jpm.class",
                "dev/clusterservers/plumbing/ChildJvm.class");
        assertThat(entries).noneMatch(name -> name.startsWith("dev/clusterservers/shareports/")
                || name.startsWith("dev/clusterservers/forkserver/")
                || name.startsWith("redis/clients/")
                || name.startsWith("org/newsclub/"));
    }
}
