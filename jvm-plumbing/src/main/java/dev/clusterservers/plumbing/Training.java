package dev.clusterservers.plumbing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training run that writes a jar's {@link StartupArchive}: start the program as it will
 * run, with the flag that archives at exit, make it load what it loads in service, stop it,
 * and move the file into place. The build runs it after packing each runnable jar:
 *
 * <pre>
 * java -cp jvm-plumbing.jar dev.clusterservers.plumbing.Training \
 *      --jar target/app.jar [--get /path ...] [--env NAME=VALUE ...] -- &lt;java arguments, {port} for a free port&gt;
 * </pre>
 *
 * <p>With {@code --get}, the program is a server: the run waits until {@code GET /path}
 * answers on {@code {port}}, sends each path {@link #REQUESTS_PER_PATH} times, then stops it with SIGTERM
 * (a graceful stop, so the JVM exits normally and writes its archive). Without, the program
 * is a command that ends by itself. A training that fails says why in one line and leaves
 * no archive: the jar then starts without one, and the build goes on.
 */
public final class Training {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Writing an AOT cache runs a second JVM that assembles it: allow for it on a busy machine. */
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(180);
    static final int REQUESTS_PER_PATH = 200;

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        List<String> paths = new ArrayList<>();
        List<String> env = new ArrayList<>();
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--get" -> paths.add(args[++i]);
                case "--env" -> env.add(args[++i]);
                default -> {
                    System.err.println("training: unknown option " + args[i]);
                    System.exit(ExitCode.USAGE);
                }
            }
        }
        List<String> program = i < args.length ? List.of(args).subList(i + 1, args.length) : List.of();
        if (jar == null || program.isEmpty() || !Files.isRegularFile(jar)) {
            System.err.println("training: usage: --jar <existing jar> [--get /path] [--env K=V] -- <java arguments>");
            System.exit(ExitCode.USAGE);
        }
        StartupArchive archive = StartupArchive.of(jar, Path.of(System.getProperty("java.home")));
        if (archive.exists()) {
            System.out.println("training: " + archive.file().getFileName() + " is up to date");
            return;
        }
        try {
            train(archive, paths, env, program);
            System.out.println("training: wrote " + archive.file());
        } catch (IOException | RuntimeException e) {
            System.out.println("training: no start-up archive for " + jar.getFileName() + " (" + e.getMessage()
                    + "); it will start without one");
        }
    }

    static void train(StartupArchive archive, List<String> paths, List<String> env, List<String> program)
            throws IOException, InterruptedException {
        Path folder = archive.file().getParent();
        Files.createDirectories(folder);
        Path partial = folder.resolve(archive.file().getFileName() + ".partial");
        Files.deleteIfExists(partial);
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(archive.trainFlags(partial));
        program.forEach(arg -> command.add(arg.replace("{port}", Integer.toString(port))));
        Path log = folder.resolve(archive.file().getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        for (String pair : env) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Process process = builder.start();
        ProcessTree tree = new ProcessTree(process.toHandle());
        try {
            if (!paths.isEmpty()) {
                awaitReady(process, port, paths.get(0), log);
                for (String path : paths) {
                    for (int n = 0; n < REQUESTS_PER_PATH; n++) {
                        get(port, path);
                    }
                }
                tree.see(List.of());
                process.destroy();
            }
            if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("the training run did not exit within " + EXIT_TIMEOUT.toSeconds() + " s; see " + log);
            }
        } finally {
            // Nothing the training started outlives it (a master's children, a daemon).
            tree.stop(Duration.ZERO);
        }
        if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
            throw new IOException("the training run wrote no archive (exit " + process.exitValue() + "); see " + log);
        }
        removeOlder(archive);
        Files.move(partial, archive.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Archives of an older build of the same jar, on the same JDK, can never be used again. */
    private static void removeOlder(StartupArchive archive) throws IOException {
        String name = archive.file().getFileName().toString();
        String jdkAndType = name.substring(archive.jarPrefix().length() + 17);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(archive.file().getParent(), archive.jarPrefix() + "*")) {
            for (Path file : files) {
                String other = file.getFileName().toString();
                boolean older = other.endsWith("-" + jdkAndType) || other.endsWith("-" + jdkAndType + ".log");
                if (!other.equals(name) && !other.equals(name + ".log") && older) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void awaitReady(Process process, int port, String path, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the training run exited at start (" + process.exitValue() + "); see " + log);
            }
            try {
                get(port, path);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("the training run did not answer on port " + port + " within "
                + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static void get(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(10_000);
        int status = connection.getResponseCode();
        try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (body != null) {
                body.readAllBytes();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
