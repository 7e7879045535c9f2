package dev.clusterservers.shareports;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process on a free loopback port, with nothing saved to disk
 * ({@code --save "" --appendonly no}). {@link #stop()} ends the process, so connections are
 * refused; {@link #restart()} starts a new one on the same port, empty. A shutdown hook
 * ends it if the test JVM exits without {@link #close()}.
 */
public final class LocalRedisServer implements RedisServer {
    static final String BINARY = "redis-server";
    /** Where Debian and most Linux systems put it, should the PATH of the test JVM not include it. */
    static final List<String> USUAL_DIRECTORIES = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin");
    static final String HOST = "127.0.0.1";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** A free port can be taken by someone else between our finding it and Redis binding it: try again. */
    static final int START_ATTEMPTS = 3;

    private final Path binary;
    private final int port;
    private final Path log;
    private final Thread killOnExit;
    private volatile Process process;

    private LocalRedisServer(Path binary, int port, Path log) {
        this.binary = binary;
        this.port = port;
        this.log = log;
        this.killOnExit = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "redis-server-kill");
    }

    static Optional<Path> findBinary() {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(USUAL_DIRECTORIES);
        return directories.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, BINARY))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static LocalRedisServer start(Path binary) throws IOException {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            LocalRedisServer server = new LocalRedisServer(binary, freePort(), Files.createTempFile("redis-server-", ".log"));
            Runtime.getRuntime().addShutdownHook(server.killOnExit);
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                last = e;
                server.close();
            }
        }
        throw last;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    /** SIGTERM: Redis closes its connections and exits; new ones are refused. */
    @Override
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already exiting; the hook runs anyway.
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A temp file left behind is harmless.
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", HOST,
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .directory(log.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** Ready means it answers PING, not merely that the process exists. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + process.exitValue()
                        + ":\n" + output());
            }
            if (answersPing()) {
                return;
            }
            ClusterProcess.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING in " + READY_TIMEOUT
                + ":\n" + output());
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return "+PONG".equals(reply);
        } catch (IOException e) {
            return false;
        }
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
