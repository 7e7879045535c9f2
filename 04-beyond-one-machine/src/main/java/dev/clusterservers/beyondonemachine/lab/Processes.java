package dev.clusterservers.beyondonemachine.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Ending the lab's processes: SIGTERM first, SIGKILL for what is still there after a grace period. */
final class Processes {
    /** Long enough for a jpm instance's drain; a sweep must not wait on a wedged process forever. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private Processes() {
    }

    static void stop(List<ProcessHandle> processes, Consumer<String> stopped) {
        List<ProcessHandle> alive = new ArrayList<>(processes.stream().filter(ProcessHandle::isAlive).toList());
        alive.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (alive.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            sleep(100);
        }
        for (ProcessHandle process : alive) {
            String what = name(process) + " process " + process.pid();
            if (process.isAlive()) {
                process.destroyForcibly();
                stopped.accept(what + ", killed after " + GRACE.toSeconds() + " s");
            } else {
                stopped.accept(what);
            }
        }
    }

    /** The program's name, from /proc/PID/comm: the JDK cannot read /proc/PID/exe of a process in another mount namespace. */
    private static String name(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return process.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("a");
        }
    }

    /** The process whose PID a file holds, if the file is there and the process still runs. */
    static Optional<ProcessHandle> fromPidFile(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.UTF_8).strip();
            return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid.split("\\s+")[0]));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every process on this machine whose command line contains {@code text} (a lab's own file path). */
    static List<ProcessHandle> withArgument(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(text)).orElse(false))
                .toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
