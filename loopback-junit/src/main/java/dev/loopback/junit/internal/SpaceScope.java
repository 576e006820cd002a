package dev.loopback.junit.internal;

import dev.loopback.Cluster;
import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.internal.access.SpaceAccess;
import dev.loopback.junit.LeakMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * The space of one test method or one class, with what was injected from it. Closed explicitly by
 * the extension's after-callbacks (leak check first) and, as a backstop, by the JUnit store;
 * closing twice is harmless.
 */
@SuppressWarnings("deprecation") // CloseableResource: the backstop when the store does not close AutoCloseables
public final class SpaceScope implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final String LEAKS_ENTRY = "loopback.leaks";

    private final LoopbackSpace space;
    private final long runSeed;
    private final LeakMode leaks;
    private final Duration grace;
    private final String aliasHint;
    private final WildcardLeaks.Life life;
    private final Map<String, Slot> slots = new HashMap<>();
    private final Map<List<String>, Cluster> clusters = new HashMap<>();
    private final Map<List<String>, int[]> clusterPorts = new HashMap<>();
    private boolean finished;

    SpaceScope(LoopbackSpace space, long runSeed, LeakMode leaks, Duration grace, String aliasHint, String uniqueId,
            String displayName) {
        this.space = space;
        this.runSeed = runSeed;
        this.leaks = leaks;
        this.grace = grace;
        this.aliasHint = aliasHint;
        this.life = WildcardLeaks.begin(uniqueId, displayName, leaks != LeakMode.OFF);
    }

    /** Returns the space. */
    public LoopbackSpace space() {
        return space;
    }

    /** Returns how to make fixed ports available where the platform fell back to 127.0.0.1. */
    public String aliasHint() {
        return aliasHint;
    }

    /** Returns the run seed the space's seed derives from. */
    public long runSeed() {
        return runSeed;
    }

    /** Returns the value {@code declaration} asks for, creating it in the space on first use. */
    public synchronized Object resolve(Declaration declaration) {
        declaration.checkPlatform(space.isFallback(), aliasHint);
        Class<?> type = declaration.type();
        if (type == LoopbackSpace.class) {
            return space;
        }
        if (type == InetAddress.class || type == String.class) {
            InetAddress host = space.host(declaration.hostName());
            String name = declaration.named() ? space.hostName(declaration.hostName()) : null;
            if (type == String.class) {
                return name != null ? name : host.getHostAddress();
            }
            return name != null ? withName(host, name) : host;
        }
        Slot slot = slots.computeIfAbsent(declaration.hostName() + ":" + declaration.port(),
                key -> new Slot(declaration.hostName(), declaration.port()));
        if (type == ServerSocket.class) {
            return slot.channel().socket();
        }
        if (type == ServerSocketChannel.class) {
            return slot.channel();
        }
        Endpoint endpoint = slot.endpoint();
        if (declaration.named()) {
            endpoint = endpoint.withHostName(space.hostName(declaration.hostName()));
        }
        if (type == InetSocketAddress.class) {
            return endpoint.socketAddress();
        }
        if (type == URI.class) {
            return endpoint.uri(declaration.scheme());
        }
        if (type == int.class || type == Integer.class) {
            return endpoint.port();
        }
        return endpoint;
    }

    private static InetAddress withName(InetAddress host, String name) {
        try {
            return InetAddress.getByAddress(name, host.getAddress());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // a leased host is four bytes
        }
    }

    /**
     * Returns the cluster of {@code nodes} serving {@code ports}, opening it on first use.
     *
     * @throws IllegalArgumentException if the nodes or ports are bad, or the same nodes were
     *     declared before with other ports
     */
    public synchronized Cluster cluster(List<String> nodes, int[] ports) {
        Cluster cluster = clusters.get(nodes);
        if (cluster == null) {
            cluster = space.cluster(nodes, ports);
            clusters.put(nodes, cluster);
            clusterPorts.put(nodes, ports.clone());
        } else if (!Arrays.equals(clusterPorts.get(nodes), ports)) {
            throw new IllegalArgumentException("the cluster " + nodes + " is declared with ports "
                    + Arrays.toString(clusterPorts.get(nodes)) + " and " + Arrays.toString(ports)
                    + "; declarations of the same nodes share one cluster, so give them the same ports");
        }
        return cluster;
    }

    /** Returns the endpoints handed out so far. */
    synchronized List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.endpoint != null) {
                endpoints.add(slot.endpoint);
            }
        }
        return endpoints;
    }

    /**
     * Closes the space's links and listeners, checks that nothing else still listens on its hosts
     * (waiting the grace period), then gives the hosts back. Runs once; later calls do nothing.
     *
     * @param after what ended, for the message: "the test" or "the class"
     * @param warn receives the report entry's key and the warning text: {@code loopback.leaks} in
     *     {@link LeakMode#WARN} mode and, in every mode but {@link LeakMode#OFF}, for the note on
     *     sockets that only a garbage collection closed; {@code loopback.leaks.wildcard} for a
     *     wildcard listener one of several tests that ran at once left open
     * @throws AssertionError naming the leaked sockets in {@link LeakMode#FAIL} mode
     */
    public void finish(String after, BiConsumer<String, String> warn) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        // the test is over: from now on no wildcard listener opened is its, and a suspect of it and
        // of tests beside it is settled by whichever of them ends last (see WildcardLeaks)
        WildcardLeaks.end(life);
        try {
            // a test that closed the space itself has no hosts of its own any more, maybe another space's
            boolean closedByTest = space.isClosed();
            if (!closedByTest) {
                SpaceAccess.get().closeSockets(space);
            }
            if (leaks != LeakMode.OFF) {
                LeakCheck.Result result = LeakCheck.run(closedByTest ? null : space, endpoints(), grace, life);
                if (!result.collected().isEmpty()) {
                    warn.accept(LEAKS_ENTRY, result.collectedWarning(after));
                }
                if (!result.suspects().isEmpty()) {
                    warn.accept(LEAKS_ENTRY + ".wildcard", result.suspectsWarning(after));
                }
                if (!result.clean()) {
                    String message = result.message(leaks, after);
                    if (leaks == LeakMode.FAIL) {
                        throw new AssertionFailedError(message);
                    }
                    warn.accept(LEAKS_ENTRY, message);
                }
            }
        } finally {
            space.close();
        }
    }

    /** Gives the hosts back without a check (the store's backstop). Idempotent. */
    @Override
    public void close() {
        space.close();
        WildcardLeaks.end(life);
    }

    /** One endpoint of a host, and the listener bound to it if one was asked for. */
    private final class Slot {
        private final String host;
        private final int port;
        private Endpoint endpoint;
        private ServerSocketChannel channel;

        Slot(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Endpoint endpoint() {
            if (endpoint == null) {
                endpoint = space.endpoint(host, port);
            }
            return endpoint;
        }

        ServerSocketChannel channel() {
            if (channel == null) {
                channel = space.bind(host, endpoint != null ? endpoint.port() : port);
                if (endpoint == null) {
                    try {
                        endpoint = Endpoint.of((InetSocketAddress) channel.getLocalAddress());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return channel;
        }
    }
}
