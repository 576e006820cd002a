package dev.loopback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code loopback listeners} as a child process, finding sockets this test holds. */
class ListenersCliIT {

    @Test
    void aWildcardServerShowsWithItsOwnerAndIsFlaggedExposed() throws Exception {
        try (ServerSocket wildcard = new ServerSocket(0);
                ServerSocket loopbackOnly = new ServerSocket()) {
            loopbackOnly.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            try (CliProcess cli = CliProcess.start("listeners")) {
                assertThat(cli.awaitExit()).isZero();
                String owner = "pid " + ProcessHandle.current().pid() + " ";
                String exposed = cli.awaitLine(l -> l.startsWith("tcp ") && l.contains(":" + wildcard.getLocalPort() + " "));
                assertThat(exposed).contains(owner).endsWith(ListenersCommand.EXPOSED);
                assertThat(exposed).matches("tcp (0\\.0\\.0\\.0|\\[::\\]):" + wildcard.getLocalPort() + " .*");
                String local = cli.awaitLine(l -> l.startsWith("tcp 127.0.0.1:" + loopbackOnly.getLocalPort() + " "));
                assertThat(local).contains(owner).doesNotContain("EXPOSED");
            }
        }
    }
}
