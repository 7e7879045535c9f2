package dev.clusterservers.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the lessons' runnable jars are: the comparison starts exactly what a learner starts
 * with {@code java -jar}, built by {@code ./mvnw -pl compare -am package}.
 */
public record Lessons(Path root) {
    /** Set by {@link Compare} on every JMH fork, so a fork finds the jars whatever its folder. */
    static final String ROOT_PROPERTY = "compare.root";

    public Path sharePorts() {
        return root.resolve("01-share-ports/target/01-share-ports.jar");
    }

    public Path forkServer() {
        return root.resolve("02-fork-server/target/02-fork-server.jar");
    }

    public Path jpm() {
        return root.resolve("03-process-manager/target/03-process-manager.jar");
    }

    /** The tutorial's api.js: the app that jpm runs. */
    public Path api() {
        return root.resolve("03-process-manager/target/api.jar");
    }

    /** The repository root from {@value #ROOT_PROPERTY}, or the nearest folder above this one that holds {@code compare/}. */
    public static Lessons find() {
        String explicit = System.getProperty(ROOT_PROPERTY);
        Path dir = explicit != null ? Path.of(explicit) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("compare/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run this from inside the repository: no parent folder holds compare/pom.xml");
        }
        return new Lessons(dir.toAbsolutePath().normalize());
    }

    /** Fails with the command that builds them if a jar is missing. */
    public Lessons requireJars() {
        for (Path jar : List.of(sharePorts(), forkServer(), jpm(), api())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; build the lessons first: ./mvnw -q -pl compare -am package -DskipTests");
            }
        }
        return this;
    }
}
