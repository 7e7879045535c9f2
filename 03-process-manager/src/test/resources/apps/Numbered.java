import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test app that writes numbered lines of about 1 KiB: {@code Numbered GO 35000} waits until
 * the file GO exists, prints "line 0 xxx...", "line 1 xxx...", ... up to 34999, then idles.
 */
public class Numbered {
    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        while (!Files.exists(go)) {
            Thread.sleep(50);
        }
        String padding = "x".repeat(1_000);
        for (int i = 0; i < count; i++) {
            System.out.println("line " + i + " " + padding);
        }
        System.out.flush();
        System.err.println("Numbered: wrote " + count + " lines");
        Thread.sleep(Long.MAX_VALUE);
    }
}
