package dev.clusterservers.processmanager.daemon;

import com.sun.jna.Native;
import dev.clusterservers.processmanager.agent.Agent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;

/**
 * Writes the agent's two jars into the home directory when the daemon starts, from the
 * classes the daemon itself runs: so the agent always matches the daemon, whether that runs
 * from the runnable jar, from {@code target/classes} under Maven, or in a test.
 *
 * <p>{@code jpm-agent.jar} holds only the {@code agent} package (what the app's class path
 * gets); {@code jpm-agent-patch.jar} holds the patch, ASM and JNA, for the agent's own loader.
 */
final class AgentJars {
    private static final String AGENT_PACKAGE = Agent.class.getPackageName().replace('.', '/') + "/";
    private static final String PATCH_PACKAGE = AGENT_PACKAGE + "patch/";
    private static final String ASM_PACKAGE = ClassReader.class.getPackageName().replace('.', '/') + "/";
    /** JNA's classes and its native library (com/sun/jna/linux-x86-64/libjnidispatch.so and the like). */
    private static final String JNA_PACKAGE = Native.class.getPackageName().replace('.', '/') + "/";

    private AgentJars() {
    }

    static void write(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(new Attributes.Name("Premain-Class"), Agent.class.getName());
        main.put(new Attributes.Name("Can-Retransform-Classes"), "true");
        writeJar(dir.resolve(Agent.AGENT_JAR), manifest,
                List.of(new Source(codeSource(Agent.class), AGENT_PACKAGE, false, false)));
        Manifest plain = new Manifest();
        plain.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        writeJar(dir.resolve(Agent.PATCH_JAR), plain, List.of(
                new Source(codeSource(Agent.class), PATCH_PACKAGE, true, false),
                new Source(codeSource(ClassReader.class), ASM_PACKAGE, true, false),
                new Source(codeSource(Native.class), JNA_PACKAGE, true, true)));
    }

    /** Class files (and with {@code resources}, every file) under {@code prefix} in a jar or a classes directory. */
    private record Source(Path location, String prefix, boolean recursive, boolean resources) {
        boolean wants(String name) {
            if (!name.startsWith(prefix) || name.endsWith("/") || !(resources || name.endsWith(".class"))) {
                return false;
            }
            return recursive || name.indexOf('/', prefix.length()) < 0;
        }
    }

    private static void writeJar(Path target, Manifest manifest, List<Source> sources) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try (OutputStream file = Files.newOutputStream(temporary); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Source source : sources) {
                copy(source, jar);
            }
        }
        // A rename, so an instance starting right now reads either the old jar or the new one, whole.
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copy(Source source, JarOutputStream jar) throws IOException {
        if (Files.isDirectory(source.location())) {
            try (Stream<Path> files = Files.walk(source.location())) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String name = source.location().relativize(file).toString().replace(FILE_SEPARATOR, '/');
                    if (source.wants(name)) {
                        jar.putNextEntry(new JarEntry(name));
                        Files.copy(file, jar);
                        jar.closeEntry();
                    }
                }
            }
            return;
        }
        try (JarFile from = new JarFile(source.location().toFile())) {
            for (Enumeration<JarEntry> entries = from.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (source.wants(entry.getName())) {
                    jar.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = from.getInputStream(entry)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                }
            }
        }
    }

    private static final char FILE_SEPARATOR = java.io.File.separatorChar;

    private static Path codeSource(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("cannot find where " + type.getName() + " was loaded from", e);
        }
    }
}
