import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/** A test app: plain Jetty 12 with no cluster code at all, on $PORT; it answers with its PID. */
public class PlainJetty {
    public static void main(String[] args) throws Exception {
        long pid = ProcessHandle.current().pid();
        Server server = new Server(Integer.parseInt(System.getenv("PORT")));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("X-Worker-Pid", Long.toString(pid));
                Content.Sink.write(response, true, "Hello from plain Jetty PID:" + pid + "\n", callback);
                return true;
            }
        });
        server.setStopAtShutdown(true);
        server.start();
        server.join();
    }
}
