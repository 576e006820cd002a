package dev.loopback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code loopback lease} as a child process: hosts printed, held until standard input closes. */
class LeaseCliIT {

    private static final Pattern HOST = Pattern.compile("host-(\\d) (127\\.\\d+\\.\\d+\\.\\d+)");

    /**
     * The port where a lease's sentinel socket sits on each leased address (the library's
     * {@code HostLease.SENTINEL_PORT}); while it is bound, no other Loopback space can lease the
     * address.
     */
    private static final int SENTINEL_PORT = 65535;

    @Test
    void leasedHostsArePrintedAndHeldUntilStandardInputCloses() throws Exception {
        try (CliProcess cli = CliProcess.start("lease", "--hosts", "2")) {
            cli.awaitLine(l -> l.startsWith("host-2 "));
            List<InetAddress> hosts = cli.out().stream().map(HOST::matcher).filter(Matcher::matches)
                    .map(m -> address(m.group(2))).toList();
            assertThat(hosts).hasSize(2).doesNotHaveDuplicates();

            for (InetAddress host : hosts) {
                assertThatThrownBy(() -> bindSentinel(host)).as("the sentinel of " + host + " while held")
                        .isInstanceOf(BindException.class).hasMessageContaining("Address already in use");
            }
            cli.closeInput();
            assertThat(cli.awaitExit()).isZero();
            for (InetAddress host : hosts) {
                bindSentinel(host); // released: the address is free to lease again
            }
        }
    }

    private static void bindSentinel(InetAddress host) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(host, SENTINEL_PORT));
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
