/** A test app that keeps one core busy: the known busy process of the CPU test. */
public class Spin {
    static volatile long sink;

    public static void main(String[] args) {
        System.out.println("Spin: spinning");
        while (true) {
            sink++;
        }
    }
}
