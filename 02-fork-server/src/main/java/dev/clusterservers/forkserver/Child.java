package dev.clusterservers.forkserver;

import dev.clusterservers.forkserver.ipc.Message;
import dev.clusterservers.forkserver.ipc.ProtocolException;
import dev.clusterservers.forkserver.ipc.Frames;
import dev.clusterservers.plumbing.ExitCode;
import dev.clusterservers.plumbing.Signals;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child: reads requests from its stdin, does the work, writes responses to its stdout.
 * It opens no port; the master is its only client.
 *
 * <p>Its stdout <em>is</em> the pipe to the master, so anything else printed there (a log
 * line, a library's {@code System.out.println}) would reach the master as bytes in the
 * middle of the frames. So the child keeps the real stdout for frames, points
 * {@code System.out} at stderr, and logs to stderr (the master starts it with that flag).
 */
final class Child {
    private static final Logger LOG = LoggerFactory.getLogger("child");
    /** When stdin closes (the master stopped, or died), how long requests still running may take. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(1);
    /** Exit code of a child that read something from the master that was not a frame. */
    static final int BAD_FRAME_FROM_MASTER = 5;
    /** Fault injection: what {@code GET /corrupt?kind=garbage} writes on the pipe, as a stray println would. */
    static final byte[] GARBAGE = "a stray println on the IPC pipe\n".getBytes(StandardCharsets.US_ASCII);

    private final Options options;
    private final long pid = ProcessHandle.current().pid();
    private final ChildRoutes routes = new ChildRoutes();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile int exitCode = ExitCode.OK;
    private OutputStream pipe;
    private ThreadPoolExecutor work;

    Child(Options options) {
        this.options = options;
    }

    int run() {
        // Step 1: take stdout for frames before anything can print to it.
        pipe = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        InputStream fromMaster = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 64 * 1024);

        // Step 2: threads for the work, one per request in flight. The master never has more
        // than --max-in-flight requests outstanding here, so neither the threads nor the queue
        // can grow past that; the queue only covers the moment between a thread writing its
        // response and being free again, when the master may already have sent the next request.
        AtomicInteger threads = new AtomicInteger();
        work = new ThreadPoolExecutor(options.maxInFlight(), options.maxInFlight(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "child-work-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        work.allowCoreThreadTimeOut(true);

        // Step 3: Ctrl-C reaches the whole process group; the master decides when children stop,
        // so a child ignores SIGINT. SIGTERM (someone killed this child) stops it like EOF does.
        Signals.onTerminate(signal -> {
            if (signal.equals("TERM")) {
                LOG.info("Child PID: {} got SIGTERM; stopping", pid);
                stopRequested.countDown();
            }
        });

        // Step 4: say we are ready, then read frames until stdin closes.
        send(new Message.Ready(Message.NO_ID, pid));
        Thread reader = new Thread(() -> readFrames(fromMaster), "ipc-reader");
        reader.setDaemon(true);
        reader.start();
        awaitStop();

        // Step 5: let what is running finish, briefly: nobody may be waiting for it any more.
        work.shutdown();
        try {
            work.awaitTermination(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Child PID: {} stopped", pid);
        return exitCode;
    }

    /**
     * The child's half of the protocol. End of stdin means the master closed it (a graceful
     * stop) or the master died (even SIGKILL closes its end of the pipe): either way, stop.
     */
    private void readFrames(InputStream fromMaster) {
        try {
            while (true) {
                Optional<Message> message = Frames.read(fromMaster);
                if (message.isEmpty()) {
                    LOG.info("Child PID: {}: stdin closed, the master is stopping or gone", pid);
                    break;
                }
                handle(message.get());
            }
        } catch (ProtocolException e) {
            LOG.error("Child PID: {} read a bad frame from the master: {}", pid, e.getMessage());
            exitCode = BAD_FRAME_FROM_MASTER;
        } catch (EOFException e) {
            // Frames.read says EOF inside a frame this way: the master died while it wrote one.
            LOG.info("Child PID: {}: stdin ended inside a frame, the master is gone", pid);
        } catch (IOException e) {
            LOG.warn("Child PID: {} lost its stdin: {}", pid, e.getMessage());
        }
        stopRequested.countDown();
    }

    /** Every kind of message, in one place: what a child does with each. */
    private void handle(Message message) throws ProtocolException {
        // A switch expression with no default: a new kind of message does not compile until handled here.
        Runnable handler = switch (message.kind()) {
            case HELLO -> () -> LOG.info("Child PID: {} got message from master: {}", pid, ((Message.Hello) message).text());
            case REQUEST -> () -> handOff((Message.Request) message);
            case READY, RESPONSE -> throw new ProtocolException("the master sent " + message.kind()
                    + ", which only a child sends");
        };
        handler.run();
    }

    /** Hands a request off to a work thread; while stopping, there is none: 503. */
    private void handOff(Message.Request request) {
        try {
            work.execute(() -> answer(request));
        } catch (RejectedExecutionException e) {
            send(Message.Response.text(request.id(), 503, "child PID: " + pid + " is stopping\n"));
        }
    }

    private void answer(Message.Request request) {
        // Fault injection is off unless the master was started with --fault-injection:
        // then /corrupt is an unknown route like any other (404 from the app).
        if (options.faultInjection() && request.path().equals("/corrupt")) {
            corrupt(ChildRoutes.query(request.query()).getOrDefault("kind", "garbage"));
            return;
        }
        Message.Response response = routes.handle(request);
        try {
            send(response);
        } catch (IllegalArgumentException tooBig) {
            send(Message.Response.text(request.id(), 500, "child PID: " + pid + ": " + tooBig.getMessage() + "\n"));
        }
    }

    /**
     * Fault injection, for the lesson on what a broken stream does: write bytes that are
     * not a frame ("garbage"), or a header that promises 2 GiB ("oversized"). The master
     * cannot find the next frame after either, so it recycles this child.
     */
    private void corrupt(String kind) {
        byte[] bytes = kind.equals("oversized")
                ? ByteBuffer.allocate(Frames.HEADER_SIZE).put((byte) 'F').put((byte) 'S').put((byte) 1)
                        .put(Message.Kind.RESPONSE.code).putLong(Message.NO_ID).putInt(Integer.MAX_VALUE).array()
                : GARBAGE;
        LOG.warn("Child PID: {} writes {} bytes of {} on its IPC pipe, as asked", pid, bytes.length, kind);
        writeToPipe(bytes);
    }

    private void send(Message message) {
        writeToPipe(Frames.encode(message));
    }

    /** Many work threads answer at once; one frame must never interleave with another. */
    private synchronized void writeToPipe(byte[] bytes) {
        try {
            pipe.write(bytes);
            pipe.flush();
        } catch (IOException e) {
            // The read side is gone: the master died. Reading stdin will see EOF and stop us.
            stopRequested.countDown();
        }
    }

    private void awaitStop() {
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
