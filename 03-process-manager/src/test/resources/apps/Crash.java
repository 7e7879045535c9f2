/** A test app that fails at start, every time: the crash loop PM2's back-off exists for. */
public class Crash {
    public static void main(String[] args) {
        System.err.println("Crash: cannot start (on purpose)");
        System.exit(3);
    }
}
