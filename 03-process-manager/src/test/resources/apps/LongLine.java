import java.io.PrintStream;

/**
 * A test app that writes one huge line: {@code LongLine 20} prints 20 MiB of digits with no
 * newline. Then it says so on stderr and, with {@code tick}, prints "tick N" on stdout once a
 * second, starting with the newline that ends the huge line.
 */
public class LongLine {
    public static void main(String[] args) throws Exception {
        int mebibytes = Integer.parseInt(args[0]);
        boolean tick = args.length > 1 && args[1].equals("tick");
        byte[] digits = new byte[1 << 20];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = (byte) ('0' + i % 10);
        }
        PrintStream out = System.out;
        for (int i = 0; i < mebibytes; i++) {
            out.write(digits, 0, digits.length);
        }
        out.flush();
        System.err.println("LongLine: wrote " + mebibytes + " MiB with no newline");
        for (int n = 0; tick; n++) {
            out.println((n == 0 ? "\n" : "") + "tick " + n);
            Thread.sleep(1_000);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
