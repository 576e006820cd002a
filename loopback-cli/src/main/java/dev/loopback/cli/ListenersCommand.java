package dev.loopback.cli;

import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loopback listeners [--all]}: the listening TCP sockets and bound UDP sockets on loopback
 * and wildcard addresses (every address with {@code --all}), each with its owning process where
 * this user may see it; a wildcard one is flagged as reachable from outside this machine.
 */
@Command(name = "listeners", mixinStandardHelpOptions = true,
        description = "List TCP listeners and bound UDP sockets on loopback and wildcard addresses, with owning process.")
final class ListenersCommand extends IoCommand {

    static final String EXPOSED = "EXPOSED: wildcard, reachable from outside this machine";

    @Option(names = "--all", description = "Also list sockets bound to this machine's other addresses.")
    boolean all;

    @Override
    public Integer call() {
        if (!SocketInspector.canListListeners()) {
            throw new CliException(ExitCode.UNAVAILABLE,
                    "listing listeners needs the kernel's socket tables (/proc/net/tcp, Linux); this platform has none", null);
        }
        List<Listener> listeners = SocketInspector.listeners().stream()
                .filter(l -> all || l.isWildcard() || l.address().isLoopbackAddress())
                .sorted(Comparator.comparing(Listener::protocol).thenComparingInt(Listener::port)
                        .thenComparing(Listener::hostPort))
                .toList();
        for (Listener l : listeners) {
            String owner = SocketInspector.owner(l).orElse("owner unknown");
            io.out().println(l.protocol().name().toLowerCase(java.util.Locale.ROOT) + " " + l.describe() + " " + owner
                    + (l.isWildcard() ? " " + EXPOSED : ""));
        }
        if (listeners.isEmpty()) {
            io.out().println("no listeners");
        }
        return ExitCode.OK;
    }
}
