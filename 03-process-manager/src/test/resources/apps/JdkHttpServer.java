import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A test app: the JDK's own com.sun.net.httpserver, no cluster code at all, on $PORT; it answers with its PID. */
public class JdkHttpServer {
    public static void main(String[] args) throws Exception {
        long pid = ProcessHandle.current().pid();
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("Hello from the JDK's HttpServer PID:" + pid + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Worker-Pid", Long.toString(pid));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(2)));
    }
}
