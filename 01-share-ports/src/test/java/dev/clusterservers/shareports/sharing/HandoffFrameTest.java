package dev.clusterservers.shareports.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;

class HandoffFrameTest {
    @Test
    void aConnectionFromAnIpv4ClientSurvivesTheRoundTrip() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 54321);
        HandoffFrame frame = HandoffFrame.connection(StandardProtocolFamily.INET6, remote);

        byte[] bytes = frame.encode();

        assertThat(bytes).hasSize(HandoffFrame.SIZE);
        assertThat(HandoffFrame.decode(bytes)).isEqualTo(frame);
    }

    @Test
    void aConnectionFromAnIpv6ClientSurvivesTheRoundTrip() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("::1"), 65535);
        HandoffFrame frame = HandoffFrame.connection(StandardProtocolFamily.INET6, remote);

        assertThat(HandoffFrame.decode(frame.encode())).isEqualTo(frame);
    }

    @Test
    void helloCarriesTheWorkerId() {
        assertThat(HandoffFrame.decode(HandoffFrame.hello(42).encode()).workerId()).isEqualTo(42);
    }

    @Test
    void quitAndEndCarryNothingButTheirType() {
        assertThat(HandoffFrame.decode(HandoffFrame.quit().encode()).type()).isEqualTo(HandoffFrame.Type.QUIT);
        assertThat(HandoffFrame.decode(HandoffFrame.end().encode()).type()).isEqualTo(HandoffFrame.Type.END);
    }

    @Test
    void anUnknownTypeIsRejected() {
        byte[] garbage = new byte[HandoffFrame.SIZE];
        garbage[0] = 'X';
        assertThatThrownBy(() -> HandoffFrame.decode(garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown hand-off frame type 0x58");
    }

    @Test
    void aFrameOfTheWrongSizeIsRejected() {
        assertThatThrownBy(() -> HandoffFrame.decode(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 24 bytes, got 3");
    }

    @Test
    void aConnectionWithABadAddressLengthIsRejected() {
        byte[] bytes = HandoffFrame.connection(StandardProtocolFamily.INET,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 80)).encode();
        bytes[2] = 7;
        assertThatThrownBy(() -> HandoffFrame.decode(bytes)).hasMessageContaining("address of 7 bytes");
    }
}
