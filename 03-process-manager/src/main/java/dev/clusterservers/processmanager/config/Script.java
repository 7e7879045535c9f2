package dev.clusterservers.processmanager.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What to run, in one of the three shapes a Java program comes in. Paths are absolute by
 * the time a script exists: the CLI resolved them against the ecosystem file's folder.
 *
 * @param kind      which shape
 * @param target    the jar or {@code .java} file, or the main class's name
 * @param classpath extra class path entries (required for {@link Kind#MAIN_CLASS})
 */
public record Script(Kind kind, String target, List<String> classpath) {
    public enum Kind {
        /** {@code java -jar api.jar} */
        JAR,
        /** {@code java Api.java}: the JDK compiles a single-file program in memory (JEP 330). */
        SOURCE_FILE,
        /** {@code java -cp lib/* com.example.Api} */
        MAIN_CLASS
    }

    public Script {
        classpath = List.copyOf(classpath);
    }

    /** The arguments after {@code java <jvm flags>} that name the program. */
    public List<String> launchArguments() {
        List<String> launch = new ArrayList<>();
        if (!classpath.isEmpty()) {
            launch.add("-cp");
            launch.add(String.join(java.io.File.pathSeparator, classpath));
        }
        if (kind == Kind.JAR) {
            launch.add("-jar");
        }
        launch.add(target);
        return launch;
    }
}
