package dev.loopback.cli;

import dev.loopback.LoopbackSpace;
import java.io.IOException;
import java.net.InetAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loopback lease [--hosts N]}: leases N loopback hosts, prints {@code NAME ADDRESS} for each,
 * and holds them until standard input closes, so that no Loopback space in any process on this
 * machine takes them meanwhile.
 */
@Command(name = "lease", mixinStandardHelpOptions = true,
        description = "Lease loopback hosts, print them (one 'name address' a line), hold them until standard input closes.")
final class LeaseCommand extends IoCommand {

    @Option(names = "--hosts", paramLabel = "N", defaultValue = "1", description = "How many hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Override
    public Integer call() throws IOException {
        if (hosts < 1) {
            throw new IllegalArgumentException("--hosts " + hosts + " must be at least 1");
        }
        try (LoopbackSpace space = LoopbackSpace.open()) {
            for (int i = 1; i <= hosts; i++) {
                String name = "host-" + i;
                InetAddress address = space.host(name);
                io.out().println(name + " " + address.getHostAddress());
            }
            io.out().flush();
            io.in().transferTo(java.io.OutputStream.nullOutputStream()); // until end of input
        }
        return ExitCode.OK;
    }
}
