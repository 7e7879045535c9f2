package dev.clusterservers.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the lessons' runnable jars are: the comparison starts exactly what a learner starts
 * with {@code java -jar}, built by {@code ./mvnw -pl compare -am package}.
 */
public record Lessons(Path root) {
    /** Set by {@link Compare} on every JMH fork, so a fork finds the jars whatever its folder. */
    static final String ROOT_PROPERTY = "compare.root";
    /** The oldest Node.js the tutorial's programs are run on (package.json's engines). */
    static final int NODE_MAJOR = 20;

    public Path sharePorts() {
        return root.resolve("01-share-ports/target/01-share-ports.jar");
    }

    public Path forkServer() {
        return root.resolve("02-fork-server/target/02-fork-server.jar");
    }

    public Path jpm() {
        return root.resolve("03-process-manager/target/03-process-manager.jar");
    }

    /** The {@code jpm} a learner types: the launcher script, which starts the CLI from the build's start-up archive. */
    public Path jpmLauncher() {
        return root.resolve("03-process-manager/jpm");
    }

    /** The tutorial's api.js: the app that jpm runs. */
    public Path api() {
        return root.resolve("03-process-manager/target/api.jar");
    }

    /** The tutorial's own Node.js programs, measured beside the lessons (see its README). */
    public Path nodeOriginals() {
        return root.resolve("compare/node");
    }

    /**
     * {@code node --version} if a Node.js of at least {@value #NODE_MAJOR} is on the PATH;
     * otherwise empty, and why in {@code whyNot}.
     */
    public static Optional<String> nodeVersion(StringBuilder whyNot) {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                whyNot.append("`node --version` did not answer in 10 s");
                return Optional.empty();
            }
            String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
            if (node.exitValue() != 0 || !major.find() || Integer.parseInt(major.group(1)) < NODE_MAJOR) {
                whyNot.append("node ").append(version).append(" is not Node.js ").append(NODE_MAJOR).append(" or newer");
                return Optional.empty();
            }
            return Optional.of(version);
        } catch (IOException e) {
            whyNot.append("no `node` on the PATH");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            whyNot.append("interrupted");
            return Optional.empty();
        }
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
