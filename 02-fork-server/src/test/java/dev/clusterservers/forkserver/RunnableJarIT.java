package dev.clusterservers.forkserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What {@code java -jar 02-fork-server.jar} carries, read as {@code jar tf} would: this lesson,
 * the workshop's process plumbing and the libraries the lesson uses; no other lesson's classes
 * and none of their libraries (Redis, descriptor passing, JSON), which a dependency on lesson 01
 * used to drag in.
 */
class RunnableJarIT {

    private static List<String> entries() throws IOException {
        try (JarFile jar = new JarFile(Path.of("target", "02-fork-server.jar").toFile())) {
            return jar.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void theJarHoldsTheLessonAndThePlumbing() throws IOException {
        assertThat(entries()).contains(
                "dev/clusterservers/forkserver/ForkServer.class",
                "dev/clusterservers/plumbing/ChildJvm.class",
                "io/javalin/Javalin.class");
    }

    @Test
    void theJarHoldsNothingOfAnotherLessonNorItsLibraries() throws IOException {
        assertThat(entries()).noneMatch(name -> name.startsWith("dev/clusterservers/shareports/")
                || name.startsWith("dev/clusterservers/processmanager/")
                || name.startsWith("redis/clients/")
                || name.startsWith("org/apache/commons/pool2/")
                || name.startsWith("org/newsclub/")
                || name.startsWith("com/sun/jna/")
                || name.startsWith("com/fasterxml/jackson/"));
    }
}
