package dev.clusterservers.shareports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What {@code java -jar 01-share-ports.jar} carries, read as {@code jar tf} would: this lesson,
 * the workshop's process plumbing and the libraries the lesson uses (descriptor passing, JNA,
 * Redis), and nothing of the later lessons.
 */
class RunnableJarIT {

    private static List<String> entries() throws IOException {
        try (JarFile jar = new JarFile(Path.of("target", "01-share-ports.jar").toFile())) {
            return jar.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void theJarHoldsTheLessonThePlumbingAndTheLibrariesItUses() throws IOException {
        assertThat(entries()).contains(
                "dev/clusterservers/shareports/SharePorts.class",
                "dev/clusterservers/plumbing/StdinSwap.class",
                "org/newsclub/net/unix/AFUNIXSocket.class",
                "com/sun/jna/Native.class",
                "redis/clients/jedis/JedisPool.class");
    }

    @Test
    void theJarHoldsNothingOfTheLaterLessons() throws IOException {
        assertThat(entries()).noneMatch(name -> name.startsWith("dev/clusterservers/forkserver/")
                || name.startsWith("dev/clusterservers/processmanager/")
                || name.startsWith("dev/clusterservers/compare/"));
    }
}
