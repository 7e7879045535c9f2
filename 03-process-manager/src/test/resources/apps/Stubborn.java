import sun.misc.Signal;

/** A test app that ignores SIGTERM: only SIGKILL, after kill_timeout, ends it. */
public class Stubborn {
    public static void main(String[] args) throws InterruptedException {
        Signal.handle(new Signal("TERM"), signal -> System.out.println("Stubborn: ignoring SIGTERM"));
        System.out.println("Stubborn: running");
        Thread.sleep(Long.MAX_VALUE);
    }
}
