package dev.clusterservers.compare;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDK a configuration's server JVMs run on: the comparison's own (its rows carry no label),
 * or one named with {@code --java PATH}, whose rows carry its feature release as a label
 * ({@code 01-shared/2@jdk25}). Every JVM of the approach follows the one the comparison starts
 * (a master starts its workers, jpm's daemon its instances, with the {@code java} that runs
 * them), so naming the binary once is enough; the load client stays on the comparison's JDK,
 * so both JDKs' rows are measured by the same client.
 *
 * @param label   empty for the comparison's own JDK, else {@code jdk} and the feature release
 * @param home    the JDK's folder
 * @param version the exact build, as its {@code release} file says
 */
public record ServerJdk(String label, Path home, String version) {
    /** How the comparison hands the JDKs named on its command line to JMH's forks: {@code LABEL=HOME,...}. */
    static final String PROPERTY = "compare.jdks";

    /** The JDK this JVM runs on. */
    static ServerJdk own() {
        return new ServerJdk("", Path.of(System.getProperty("java.home")), System.getProperty("java.runtime.version"));
    }

    /**
     * The JDK at {@code path}: its folder, or its {@code bin/java}.
     *
     * @throws IllegalArgumentException if no JDK is there, in words that name the path
     */
    static ServerJdk at(Path path) {
        Path home = path.toAbsolutePath().normalize();
        if (home.endsWith(Path.of("bin", "java"))) {
            home = home.getParent().getParent();
        }
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(home.resolve("release"))) {
            throw new IllegalArgumentException("--java " + path + ": no JDK there (expected a folder with bin/java and a release file, or its bin/java)");
        }
        Jdk jdk = Jdk.at(home);
        return new ServerJdk("jdk" + jdk.feature(), home, jdk.version());
    }

    /** The value of {@link #PROPERTY} for these JDKs. */
    static String property(List<ServerJdk> jdks) {
        return String.join(",", jdks.stream().map(j -> j.label() + "=" + j.home()).toList());
    }

    /** The JDK a configuration names: its label looked up in {@link #PROPERTY}, or this JVM's own. */
    static ServerJdk of(Configuration configuration) {
        if (configuration.jdk().isEmpty()) {
            return own();
        }
        Map<String, Path> named = new LinkedHashMap<>();
        for (String entry : System.getProperty(PROPERTY, "").split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                named.put(entry.substring(0, eq), Path.of(entry.substring(eq + 1)));
            }
        }
        Path home = named.get(configuration.jdk());
        if (home == null) {
            throw new IllegalArgumentException(configuration + " names " + configuration.jdk() + ", which no --java gave (" + PROPERTY + "="
                    + System.getProperty(PROPERTY, "") + ")");
        }
        return at(home);
    }

    /** The {@code java} that starts the approach's first JVM. */
    String javaBinary() {
        return label.isEmpty() ? ChildJvm.javaBinary() : home.resolve("bin/java").toString();
    }
}
