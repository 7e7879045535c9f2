package dev.clusterservers.plumbing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A JDK as its {@code release} file describes it: the exact build, and the feature release
 * (17, 25). A start-up archive is valid only for the build that wrote it; the comparison names
 * the rows it runs on another JDK by the feature release.
 */
public record Jdk(String version, int feature) {

    /** The JDK installed at {@code javaHome}; this JVM's own without reading a file. */
    public static Jdk at(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (javaHome.equals(Path.of(System.getProperty("java.home")))) {
            return new Jdk(System.getProperty("java.runtime.version"), Runtime.version().feature());
        }
        Properties values = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no JDK at " + javaHome + ": cannot read " + release, e);
        }
        String version = unquote(values.getProperty("JAVA_RUNTIME_VERSION", ""));
        if (version.isEmpty()) {
            throw new IllegalArgumentException(release + " names no JAVA_RUNTIME_VERSION");
        }
        return new Jdk(version, Runtime.Version.parse(version).feature());
    }

    private static String unquote(String value) {
        return value.replaceAll("^\"|\"$", "");
    }
}
