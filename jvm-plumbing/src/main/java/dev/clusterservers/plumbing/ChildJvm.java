package dev.clusterservers.plumbing;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line that starts another JVM running one of our classes: the JVM has no
 * {@code fork()}, so a "child process" is a fresh {@code java} with our classpath.
 */
public final class ChildJvm {
    /**
     * Flags every JVM of these lessons needs: access to the JDK's socket internals (see
     * {@link JdkChannels}), and native access for JNA and junixsocket, which JDK 24 and later
     * warn about unless it is granted. JDK 17 accepts both flags.
     */
    public static final List<String> REQUIRED_FLAGS =
            List.of(JdkChannels.REQUIRED_JVM_FLAG, "--enable-native-access=ALL-UNNAMED");

    private ChildJvm() {
    }

    /**
     * {@code java <flags> -cp <our classpath> <main> <args>}. A child started from a runnable
     * jar that the build archived starts from that {@link StartupArchive} (the caller's flags
     * come after, so they win); from any other class path, it loads its classes as usual.
     */
    public static List<String> command(Class<?> main, List<String> jvmFlags, List<String> args) {
        String classpath = classpath(main);
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        StartupArchive.forClasspath(classpath).ifPresent(archive -> command.addAll(archive.useFlags()));
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** The java that runs us, so children get the same JDK (17 or 25) as their parent. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Under {@code mvn exec:java}, {@code java.class.path} holds only Maven's launcher; our
     * classes come from a URLClassLoader that exec built. Under {@code java -cp} or
     * {@code java -jar}, the system property is the truth.
     */
    public static String classpath(Class<?> main) {
        if (main.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            return Arrays.stream(loader.getURLs())
                    .map(ChildJvm::toPath)
                    .collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (Exception e) {
            return url.getPath();
        }
    }
}
