package dev.clusterservers.processmanager.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.clusterservers.processmanager.Home;
import dev.clusterservers.processmanager.protocol.Reply;
import dev.clusterservers.processmanager.protocol.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every request the CLI can send gets one reply: no type is dropped. Nothing is started. */
class RequestsTest {
    /** One request of each type; a new type fails {@link #theSampleHoldsEveryRequestType} until it is added here. */
    private static final List<Request> ONE_OF_EACH = List.of(new Request.Start(List.of(), 0), new Request.ListAll(),
            new Request.Describe("all"), new Request.Stop("all"), new Request.Restart("all"), new Request.Reload("all"),
            new Request.Delete("all"), new Request.Scale("api", "2"), new Request.Save(), new Request.Resurrect(),
            new Request.Kill());

    @TempDir
    Path dir;

    @Test
    void theSampleHoldsEveryRequestType() {
        assertThat(ONE_OF_EACH.stream().map(Object::getClass).toList())
                .containsExactlyInAnyOrder(Request.class.getPermittedSubclasses());
    }

    @Test
    void everyRequestTypeHasANameOnTheWire() {
        List<Class<?>> named = Arrays.stream(Request.class.getAnnotation(JsonSubTypes.class).value())
                .<Class<?>>map(JsonSubTypes.Type::value).toList();

        assertThat(named).containsExactlyInAnyOrder(Request.class.getPermittedSubclasses());
    }

    @Test
    void everyRequestGetsExactlyOneReplyFromADaemonWithNoApps() {
        Home home = new Home(dir);
        Supervisor supervisor = new Supervisor(home, new Launcher(home), event -> { }, (event, delayMs) -> { });
        Requests requests = new Requests(home, supervisor,
                (done, reply, sink) -> {
                    if (done.getAsBoolean()) {
                        sink.accept(reply.get());
                    }
                },
                (why, sink) -> sink.accept(new Reply.Done(why, List.of())));

        for (Request request : ONE_OF_EACH) {
            List<Reply> replies = new ArrayList<>();
            requests.handle(request, replies::add);
            assertThat(replies).as("replies to %s", request).hasSize(1);
        }
    }
}
