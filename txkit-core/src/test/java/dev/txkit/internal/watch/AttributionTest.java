package dev.txkit.internal.watch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How the detector recognises this process's own sessions and compares servers. */
class AttributionTest {

    @Test
    void procAddressesDecodeToDottedQuads() {
        assertThat(LocalSockets.ipv4("0100007F")).isEqualTo("127.0.0.1");
        assertThat(LocalSockets.ipv4("0000000000000000FFFF00000100007F")).isEqualTo("127.0.0.1");
        assertThat(LocalSockets.ipv4("00000000000000000000000001000000")).isNull();
    }

    @Test
    void aSocketOfThisProcessIsRecognisedAndAnotherPortIsNot() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            Set<String> mine = LocalSockets.endpoints();
            assertThat(LocalSockets.ours(mine, "127.0.0.1", client.getLocalPort())).isTrue();
            assertThat(LocalSockets.ours(mine, "::ffff:127.0.0.1", client.getLocalPort())).isTrue();
            assertThat(LocalSockets.ours(mine, "10.9.8.7", client.getLocalPort())).as("another host").isFalse();
            assertThat(LocalSockets.ours(mine, null, 0)).as("a Unix socket shows no endpoint").isFalse();
            assertThat(accepted.isConnected()).isTrue();
        }
    }

    @Test
    void serverKeysComeFromTheUrlWithDefaultPorts() {
        assertThat(Servers.key("jdbc:postgresql://127.0.0.1/test")).isEqualTo("127.0.0.1:5432");
        assertThat(Servers.key("jdbc:postgresql://127.0.0.1:5433/test?currentSchema=x")).isEqualTo("127.0.0.1:5433");
        assertThat(Servers.key("jdbc:mariadb://127.0.0.1:3306/db")).isEqualTo("127.0.0.1:3306");
        assertThat(Servers.key("jdbc:mysql://db.example")).isEqualTo("db.example:3306");
        assertThat(Servers.key("jdbc:h2:mem:x")).isNull();
        assertThat(Servers.key(null)).isNull();
    }
}
