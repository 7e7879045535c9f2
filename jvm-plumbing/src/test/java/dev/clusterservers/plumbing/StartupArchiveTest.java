package dev.clusterservers.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupArchiveTest {
    @TempDir
    Path dir;

    @Test
    void eachJdkGetsAFileOfItsOwnAndItsOwnKindOfArchive() throws IOException {
        Path jar = jar("app.jar", "hello");
        StartupArchive on17 = StartupArchive.of(jar, jdk("17", "17.0.15+6-Debian-1deb12u1"));
        StartupArchive on25 = StartupArchive.of(jar, jdk("25", "25.0.3+9-LTS"));

        assertThat(on17.file()).isNotEqualTo(on25.file());
        assertThat(on17.file().getFileName().toString()).startsWith("app-").endsWith("-17.0.15+6-Debian-1deb12u1.jsa");
        assertThat(on25.file().getFileName().toString()).startsWith("app-").endsWith("-25.0.3+9-LTS.aot");
        assertThat(on17.file().getParent()).isEqualTo(dir.resolve(StartupArchive.FOLDER));
    }

    @Test
    void noArchiveMeansNoFlagsAndAnArchiveMeansTheFlagOfItsJdk() throws IOException {
        Path jar = jar("app.jar", "hello");
        StartupArchive on17 = StartupArchive.of(jar, jdk("17", "17.0.15+6"));
        StartupArchive on25 = StartupArchive.of(jar, jdk("25", "25.0.3+9-LTS"));
        assertThat(on17.useFlags()).isEmpty();

        Files.createDirectories(on17.file().getParent());
        Files.writeString(on17.file(), "archive");
        Files.writeString(on25.file(), "cache");

        assertThat(on17.useFlags()).contains("-Xlog:cds*=off").first().isEqualTo("-XX:SharedArchiveFile=" + on17.file());
        assertThat(on25.useFlags()).first().isEqualTo("-XX:AOTCache=" + on25.file());
        assertThat(on17.trainFlags(dir.resolve("out"))).containsExactly("-XX:ArchiveClassesAtExit=" + dir.resolve("out"));
        assertThat(on25.trainFlags(dir.resolve("out"))).containsExactly("-XX:AOTCacheOutput=" + dir.resolve("out"),
                "-XX:+UseCompactObjectHeaders");
        assertThat(on25.useFlags()).contains("-XX:+UseCompactObjectHeaders");
        assertThat(on17.useFlags()).doesNotContain("-XX:+UseCompactObjectHeaders");
    }

    @Test
    void aJarWithOneEntryChangedGetsAnotherName() throws IOException {
        Path jdk = jdk("17", "17.0.15+6");
        String before = StartupArchive.of(jar("app.jar", "hello"), jdk).file().getFileName().toString();
        String same = StartupArchive.of(jar("app.jar", "hello"), jdk).file().getFileName().toString();
        String after = StartupArchive.of(jar("app.jar", "hellp"), jdk).file().getFileName().toString();

        assertThat(same).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void onlyAClassPathOfOneExistingJarCanHaveAnArchive() throws IOException {
        Path jar = jar("app.jar", "hello");

        assertThat(StartupArchive.forClasspath(jar.toString())).isPresent();
        assertThat(StartupArchive.forClasspath(jar + java.io.File.pathSeparator + jar)).isEmpty();
        assertThat(StartupArchive.forClasspath(dir.toString())).isEmpty();
        assertThat(StartupArchive.forClasspath(dir.resolve("missing.jar").toString())).isEmpty();
    }

    /** A jar with one entry, written with a fixed time so equal content gives equal bytes. */
    private Path jar(String name, String content) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("greeting.txt");
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }

    /** A folder that looks like a JDK to {@link StartupArchive}: its {@code release} file. */
    private Path jdk(String name, String runtimeVersion) throws IOException {
        Path home = Files.createDirectories(dir.resolve("jdk-" + name));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + name + "\"\nJAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"\n");
        return home;
    }
}
