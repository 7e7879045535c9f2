package dev.clusterservers.plumbing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start-up archive of one jar for one JDK: the classes a training run loaded, already
 * parsed and verified, mapped from a file instead of read from the jar again. On JDK 17 it is
 * a dynamic AppCDS archive ({@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile});
 * on JDK 25 an AOT cache (JEP 514/515: {@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}),
 * which also keeps linked classes and method profiles, written and used with compact object
 * headers ({@link #COMPACT_HEADERS}).
 *
 * <p>The file lives beside the jar, in {@code startup/}, and its name holds a hash of the jar's
 * content (see {@link #sha256}) and the JDK's exact version. An archive is only valid for the JDK that wrote it (17 rejects
 * 25's and the other way round), and it must never outlive its jar: JDK 17 notices a changed
 * jar by its size and time, but Temurin 25.0.3 maps a stale AOT cache anyway (JDK-8377932). A
 * name keyed by content means a rebuilt jar simply finds no archive. No archive is never an
 * error: the JVM then loads every class from the jar, as it always does, just slower.
 *
 * <p>The build makes the archive ({@link Training}) right after it packs the jar, with the
 * JDK that runs the build. A master could make it at first start instead; the build is the
 * more robust place: one training run, before any master exists, so no two masters race to
 * write the same file, no training competes with serving, and tests and benchmarks start
 * from the same archive every time.
 */
public final class StartupArchive {
    /** The folder beside the jar that holds its archives. */
    public static final String FOLDER = "startup";
    /** The first JDK whose AOT cache is written in one run ({@code -XX:AOTCacheOutput}, JEP 514). */
    static final int FIRST_AOT_CACHE_FEATURE = 25;
    /**
     * Object headers of 8 bytes instead of 12 (JEP 519, a product flag since JDK 25): every
     * object a worker allocates is smaller. A JVM maps an AOT cache only with the header layout
     * the cache was written with, so the training run and every JVM that starts from the cache
     * get it together.
     */
    static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";

    /** A master spawns many children from one jar: hash it once. */
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private final Path jar;
    private final Path file;
    private final boolean aotCache;

    private StartupArchive(Path jar, Path file, boolean aotCache) {
        this.jar = jar;
        this.file = file;
        this.aotCache = aotCache;
    }

    /** The archive of {@code jar} for the JDK installed at {@code javaHome} (its {@code release} file says which). */
    public static StartupArchive of(Path jar, Path javaHome) {
        Jdk jdk = Jdk.at(javaHome);
        String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        String name = base + "-" + sha256(jar) + "-" + jdk.version().replaceAll("[^A-Za-z0-9.+_-]", "_")
                + (jdk.feature() >= FIRST_AOT_CACHE_FEATURE ? ".aot" : ".jsa");
        Path file = jar.toAbsolutePath().getParent().resolve(FOLDER).resolve(name);
        return new StartupArchive(jar, file, jdk.feature() >= FIRST_AOT_CACHE_FEATURE);
    }

    /**
     * The archive for a child whose class path is {@code classpath}, on this JVM's own JDK.
     * Only a class path of one jar qualifies: an archive records the class path it was made
     * with, and a class path with a folder in it ({@code mvn exec:java}'s target/classes)
     * cannot be archived at all.
     */
    public static Optional<StartupArchive> forClasspath(String classpath) {
        if (classpath == null || classpath.contains(java.io.File.pathSeparator) || !classpath.endsWith(".jar")) {
            return Optional.empty();
        }
        Path jar = Path.of(classpath);
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        return Optional.of(of(jar, Path.of(System.getProperty("java.home"))));
    }

    public Path jar() {
        return jar;
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /**
     * The flags that start a JVM from this archive, or none when there is none. With
     * {@code -Xshare:auto} (the default) a JVM that cannot use an archive says why only when
     * asked ({@code -Xlog:cds}) and starts without it. {@code ArchiveRelocationMode=0} maps the
     * archive at the address it was written for, so its pages stay shared between every
     * JVM that maps it; since JDK 20 the JVM relocates it by default (a private copy of
     * every page it touches), a hardening against address guessing that a local worker
     * pool does not need.
     */
    public List<String> useFlags() {
        if (!exists()) {
            return List.of();
        }
        // The JVM writes its own warnings to stdout, and a child's stdout may carry data (02's
        // frames, `jpm list --json`): an archive it cannot use (a jar moved since the build) must
        // not say so there. It is not an error; -Xlog:cds (or -Xlog:aot) after these shows why.
        List<String> quiet = aotCache ? List.of("-Xlog:aot*=off", "-Xlog:cds*=off") : List.of("-Xlog:cds*=off");
        String use = aotCache ? "-XX:AOTCache=" + file : "-XX:SharedArchiveFile=" + file;
        List<String> flags = new java.util.ArrayList<>(List.of(use, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        if (aotCache) {
            flags.add(COMPACT_HEADERS);
        }
        flags.addAll(quiet);
        return List.copyOf(flags);
    }

    /** The flags that make a training run write the archive to {@code output} when it exits. */
    public List<String> trainFlags(Path output) {
        return aotCache ? List.of("-XX:AOTCacheOutput=" + output, COMPACT_HEADERS) : List.of("-XX:ArchiveClassesAtExit=" + output);
    }

    /** The file name's prefix shared by every archive of this jar on any JDK, for clearing out old ones. */
    String jarPrefix() {
        return jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-";
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /**
     * The first 16 hex digits of the SHA-256 of the jar's central directory (with the end
     * record after it): the zip's index, which holds every entry's name, size and CRC-32, so
     * any change to any entry changes it. It is a small part at the jar's end, where hashing a
     * whole shaded jar in a cold JVM is slow enough to delay a master's first spawn. A jar whose end is not a
     * plain end record (a zip comment, zip64) is hashed whole. Remembered per path, size and
     * time. The {@code jpm} script computes the same name with {@code tail} and {@code sha256sum}.
     */
    static String sha256(Path jar) {
        try {
            FileTime modified = Files.getLastModifiedTime(jar);
            String key = jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + modified;
            return HASHES.computeIfAbsent(key, k -> digest(jar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Size of the zip end-of-central-directory record without a comment, and its signature. */
    private static final int END_RECORD = 22;
    private static final int END_SIGNATURE = 0x06054b50;

    private static String digest(Path jar) {
        try (FileChannel file = FileChannel.open(jar, StandardOpenOption.READ)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = file.size();
            long from = 0;
            if (size >= END_RECORD) {
                ByteBuffer end = ByteBuffer.allocate(END_RECORD).order(ByteOrder.LITTLE_ENDIAN);
                file.read(end, size - END_RECORD);
                long directory = Integer.toUnsignedLong(end.getInt(12));
                if (end.getInt(0) == END_SIGNATURE && directory != 0xFFFFFFFFL && directory + END_RECORD <= size) {
                    from = size - END_RECORD - directory;
                }
            }
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            for (long at = from; at < size; ) {
                buffer.clear();
                int n = file.read(buffer, at);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                sha.update(buffer);
                at += n;
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
