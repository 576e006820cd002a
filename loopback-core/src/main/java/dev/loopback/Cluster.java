package dev.loopback;

import dev.loopback.inspect.Connection;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.internal.random.Seeds;
import dev.loopback.internal.tcp.TcpLinks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A set of named nodes in a {@link LoopbackSpace}, each on a host of its own, with one
 * {@link TcpLink} per ordered pair of nodes and served port: the <em>path</em> by which node
 * {@code from} reaches port {@code p} of node {@code to}. Because every path is its own link,
 * faults can differ per pair and per direction of connection.
 *
 * <p><b>Wiring.</b> A node serves its ports on {@link #endpoint(String, int)} (its own host, the
 * same port numbers on every node). Give node {@code from} the addresses {@link #path(String,
 * String, int)} for each peer {@code to} instead of the peers' real endpoints; that is how the
 * cluster knows which node a connection comes from. Systems that give every node the same peer
 * list use {@link #advertised(String, int)} instead, one address per node that recognises the
 * caller by its source address (the caller binds its sockets to {@link #host(String)}).
 * {@link #bypasses()} finds clients that dialled a node's endpoint directly.
 *
 * <p><b>Nemesis.</b> {@link #partition(Collection[])}, {@link #partitionOneWay(String, String)},
 * {@link #isolate(String)}, the seeded shapes {@link #majoritiesRing()}, {@link #bridge()} and
 * {@link #randomHalves()}, and {@link #heal()} act on live connections when they return, by
 * {@link Link#partition(Partition)} on each cut path ({@link Partition#hold()} unless
 * {@link #cutWith(Partition)} says otherwise) and {@link Link#heal()} on every other. Each shape
 * replaces the previous one. Each call is journalled, with the time it returned, in
 * {@link #journal()} (unbounded; a refused call is not journalled). A connection's direction is the
 * direction it was opened in: a path {@code from → to} cut both ways also holds {@code to}'s
 * replies on connections {@code from} opened. {@link #crash(String)}, {@link #hold(String, String)},
 * {@link #slow(String, String, Duration)}, {@link #flaky(String, String, double)} and {@link
 * #inject(String, String, TcpFault)} are separate from the shapes: they add to the shape in place
 * and {@link #heal()} leaves them. {@link #nemesis()} runs operations on a seeded schedule.
 *
 * <p>Open one with {@link LoopbackSpace#cluster(List, int...)}. Closing the cluster closes its
 * links; the space keeps the hosts until it closes, and closing the space closes the cluster.
 */
public final class Cluster implements AutoCloseable {

    /**
     * One journalled nemesis operation and when it took effect (when the call returned).
     *
     * @param at when the operation took effect: the instant its call returned
     * @param operation what was done, starting with the method's name (for example {@code partitionOneWay a -/-> b})
     */
    public record Step(Instant at, String operation) {
        @Override
        public String toString() {
            return at + " " + operation;
        }
    }

    private final LoopbackSpace space;
    private final List<String> nodes;
    private final Set<Integer> ports;
    private final Map<PathKey, TcpLink> paths = new LinkedHashMap<>();
    private final Map<PathKey, TcpLink> routers = new LinkedHashMap<>();
    private final Map<InetAddress, String> nodeOfHost = new HashMap<>();
    private final Map<String, List<FaultHandle>> crashed = new LinkedHashMap<>();
    private final Map<Set<String>, List<FaultHandle>> held = new LinkedHashMap<>();
    private final List<Nemesis> nemeses = new ArrayList<>();
    private final List<Step> journal = new ArrayList<>();
    private final SplittableRandom random;
    private Partition cutWith = Partition.hold();
    private boolean closed;

    private Cluster(LoopbackSpace space, List<String> nodes, Set<Integer> ports) {
        this.space = space;
        this.nodes = nodes;
        this.ports = ports;
        this.random = Seeds.random(Seeds.derive(space.seed(), "cluster " + nodes));
        for (String node : nodes) {
            nodeOfHost.put(space.host(node), node);
        }
        for (String from : nodes) {
            for (String to : nodes) {
                if (from.equals(to)) {
                    continue;
                }
                for (int port : ports) {
                    PathKey key = new PathKey(from, to, port);
                    paths.put(key, space.link("path " + key, space.endpoint(to, port)));
                }
            }
        }
    }

    /**
     * Opens a cluster: see {@link LoopbackSpace#cluster(List, int...)}.
     */
    static Cluster open(LoopbackSpace space, List<String> nodes, int... ports) {
        if (nodes.size() < 2) {
            throw new IllegalArgumentException("a cluster needs at least 2 nodes; got " + nodes);
        }
        if (new HashSet<>(nodes).size() != nodes.size()) {
            throw new IllegalArgumentException("node names must be distinct; got " + nodes);
        }
        for (String node : nodes) {
            if (node == null || node.isBlank()) {
                throw new IllegalArgumentException("a node name must not be blank; got " + nodes);
            }
        }
        if (ports.length == 0) {
            throw new IllegalArgumentException("a cluster needs at least one port its nodes serve");
        }
        Set<Integer> portSet = new TreeSet<>();
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65535");
            }
            if (!portSet.add(port)) {
                throw new IllegalArgumentException("port " + port + " is given twice in " + Arrays.toString(ports));
            }
        }
        return new Cluster(space, List.copyOf(nodes), portSet);
    }

    /**
     * Returns the nodes, in the order given.
     *
     * @return the node names, in the order the cluster was created with; the list cannot be modified
     */
    public List<String> nodes() {
        return nodes;
    }

    /**
     * Returns where {@code node} serves {@code port}: on its own host. Bind the node's server here.
     *
     * @param node a node of this cluster
     * @param port one of the cluster's ports
     * @return the address on {@code node}'s own host where its server for {@code port} binds
     */
    public synchronized Endpoint endpoint(String node, int port) {
        checkNode(node);
        checkPort(node, port);
        String other = nodes.get(nodes.indexOf(node) == 0 ? 1 : 0);
        return link(other, node, port).upstream();
    }

    /**
     * Returns the address {@code from} must dial to reach {@code port} of {@code to}.
     *
     * @param from the node that dials
     * @param to the node dialled
     * @param port one of the cluster's ports
     * @return the listening address of the link from {@code from} to {@code to} for {@code port}: what {@code from} connects to
     */
    public Endpoint path(String from, String to, int port) {
        return link(from, to, port).endpoint();
    }

    /**
     * Returns the link that carries {@code from}'s connections to {@code port} of {@code to}.
     *
     * @param from the node that dials
     * @param to the node dialled
     * @param port one of the cluster's ports
     * @return the link {@code from} dials for {@code port} of {@code to}, to inject faults or read its counters
     */
    public synchronized TcpLink link(String from, String to, int port) {
        checkOpen();
        checkNode(from);
        checkNode(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("no path from node " + from + " to itself; a node dials its own endpoint directly");
        }
        checkPort(to, port);
        return Objects.requireNonNull(paths.get(new PathKey(from, to, port)), "path");
    }

    /**
     * Splits the cluster into {@code groups}: every path between nodes of different groups is held
     * (both ways), every path within a group is healed. Replaces any earlier partition.
     *
     * @param groups two or more disjoint groups of node names that together hold every node
     * @throws IllegalArgumentException if fewer than two groups are given, a group is empty, a node
     *     is unknown, in two groups, or in none
     */
    @SafeVarargs
    public final synchronized void partition(Collection<String>... groups) {
        List<Collection<String>> given = new ArrayList<>(groups.length);
        for (Collection<String> group : groups) { // not Arrays.asList(groups): javac's varargs lint
            given.add(group);
        }
        partitionInto(given);
    }

    synchronized void partitionInto(List<? extends Collection<String>> given) {
        checkOpen();
        cut(groupsOf(List.copyOf(given)));
        record("partition " + describe(List.copyOf(given)));
    }

    private void cut(Map<String, Integer> groupOf) {
        cut((a, b) -> !Objects.equals(groupOf.get(a), groupOf.get(b)));
    }

    /** Cuts (as {@link #cutWith(Partition)} says) every path between nodes {@code apart} says are apart, heals the others. */
    private void cut(BiPredicate<String, String> apart) {
        paths.forEach((key, link) -> {
            if (apart.test(key.from(), key.to())) {
                link.partition(cutWith);
            } else {
                link.heal();
            }
        });
    }

    /**
     * Sets how later partitions cut a path: {@link Partition#hold()} (the default: bytes wait and
     * are delivered on heal, connections stay open) or {@link Partition#drop()} (nothing crosses,
     * connections reset after its give-up time). Cuts already made keep their kind until the next
     * operation. Journalled.
     *
     * @param partition the kind of cut (hold or drop, with its give-up time) later operations make; both ways
     * @throws IllegalArgumentException if {@code partition} is one-way ({@code only(…)}): the
     *     cluster decides directions itself, see {@link #partitionOneWay(String, String)}
     */
    public synchronized void cutWith(Partition partition) {
        checkOpen();
        if (partition.direction() != Direction.BOTH) {
            throw new IllegalArgumentException("cutWith(" + partition + "): a cluster's cuts are both ways;"
                    + " for a one-way cut use partitionOneWay(from, to) with a both-way partition such as "
                    + (partition.mode() == Partition.Mode.HOLD ? "hold()" : "drop()"));
        }
        cutWith = partition;
        record("cutWith " + partition);
    }

    /**
     * Cuts one way: what {@code from} sends no longer reaches {@code to}, while {@code to}'s bytes
     * still reach {@code from}. On {@code from}'s connections to {@code to} that holds the
     * client-to-server direction; on {@code to}'s connections to {@code from}, the server-to-client
     * one. Every other path is healed (the new shape replaces the old). The kind of cut is
     * {@link #cutWith(Partition)}'s; as {@link Partition#only(Direction)} says, a one-way cut still
     * stops new connections either way (a handshake needs both ways). Journalled.
     *
     * @param from the node whose traffic towards {@code to} is cut
     * @param to the node that no longer hears {@code from}
     * @throws IllegalArgumentException if a node is unknown or {@code from} equals {@code to}
     */
    public synchronized void partitionOneWay(String from, String to) {
        checkOpen();
        checkNode(from);
        checkNode(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("partitionOneWay(" + from + ", " + to + "): a node cannot be cut from itself");
        }
        paths.forEach((key, link) -> {
            if (key.from().equals(from) && key.to().equals(to)) {
                link.partition(cutWith.only(Direction.TO_SERVER));
            } else if (key.from().equals(to) && key.to().equals(from)) {
                link.partition(cutWith.only(Direction.TO_CLIENT));
            } else {
                link.heal();
            }
        });
        record("partitionOneWay " + from + " -/-> " + to);
    }

    /**
     * Cuts the cluster so that every node still sees a majority of the nodes (itself included) but
     * no two nodes see the same majority: the nodes are placed on a ring in an order drawn from the
     * space's seed, and each node keeps the paths to its nearest ring neighbours only. The shape in
     * which a leader can be elected on each side of a non-transitive partition. Journalled with the
     * ring order.
     *
     * @throws IllegalStateException if the cluster has fewer than 4 nodes (with 3, each node's
     *     majority includes every other node, so no path can be cut)
     */
    public synchronized void majoritiesRing() {
        majoritiesRing(random);
    }

    synchronized void majoritiesRing(SplittableRandom draw) {
        checkOpen();
        if (nodes.size() < 4) {
            throw new IllegalStateException("majoritiesRing() needs at least 4 nodes, so that a majority leaves a path"
                    + " to cut; the cluster has " + nodes);
        }
        List<String> ring = shuffled(draw);
        int n = ring.size();
        int reach = (n / 2 + 1) / 2; // neighbours each side so that 1 + 2 * reach >= majority
        cut((a, b) -> {
            int d = Math.abs(ring.indexOf(a) - ring.indexOf(b));
            return Math.min(d, n - d) > reach;
        });
        record("majoritiesRing " + ring);
    }

    /**
     * Splits the cluster into two halves, drawn from the space's seed, with one node (the bridge)
     * that still sees both halves. Journalled with the halves and the bridge.
     *
     * @throws IllegalStateException if the cluster has fewer than 3 nodes
     */
    public synchronized void bridge() {
        bridge(random);
    }

    synchronized void bridge(SplittableRandom draw) {
        checkOpen();
        if (nodes.size() < 3) {
            throw new IllegalStateException("bridge() needs at least 3 nodes (two halves and a bridge); the cluster has "
                    + nodes);
        }
        List<String> order = shuffled(draw);
        String bridge = order.get(0);
        List<String> left = order.subList(1, 1 + (order.size() - 1) / 2);
        List<String> right = order.subList(1 + left.size(), order.size());
        cut((a, b) -> !a.equals(bridge) && !b.equals(bridge) && left.contains(a) != left.contains(b));
        record("bridge " + bridge + " between " + left + " and " + right);
    }

    /** Splits the cluster into two halves drawn from the space's seed (the smaller first). Journalled. */
    public synchronized void randomHalves() {
        randomHalves(random);
    }

    synchronized void randomHalves(SplittableRandom draw) {
        checkOpen();
        List<String> order = shuffled(draw);
        List<String> small = List.copyOf(order.subList(0, order.size() / 2));
        List<String> large = List.copyOf(order.subList(small.size(), order.size()));
        cut((a, b) -> small.contains(a) != small.contains(b));
        record("randomHalves " + List.of(small, large));
    }

    /**
     * Injects {@code fault} into every path from {@code from} to {@code to} (each port); connections
     * {@code to} opens towards {@code from} are not affected. Use it for slow, flaky or held pairs:
     * {@code Fault.latency(…)}, {@code Fault.loss(…)}, {@code Fault.freeze()}. Journalled.
     *
     * @param from the node whose connections get the fault
     * @param to the node those connections go to
     * @param fault the fault injected into each of those paths (one injection per port)
     * @return the handle that removes the fault from all those paths
     */
    public synchronized FaultHandle inject(String from, String to, TcpFault fault) {
        checkOpen();
        List<FaultHandle> handles = new ArrayList<>();
        for (int port : ports) {
            handles.add(link(from, to, port).inject(fault));
        }
        record("inject " + fault + " on " + from + "->" + to);
        return new FaultHandle() {
            @Override
            public Fault fault() {
                return fault;
            }

            @Override
            public boolean isActive() {
                return handles.stream().anyMatch(FaultHandle::isActive);
            }

            @Override
            public void remove() {
                if (!isActive()) {
                    return;
                }
                handles.forEach(FaultHandle::remove);
                synchronized (Cluster.this) {
                    record("remove " + fault + " on " + from + "->" + to);
                }
            }
        };
    }

    /**
     * Adds {@code latency} each way on every path from {@code from} to {@code to}: {@link
     * #inject(String, String, TcpFault) inject}{@code (from, to, Fault.latency(latency))}.
     *
     * @param from the node whose connections get the latency
     * @param to the node those connections go to
     * @param latency the delay each way, zero or positive, at most {@link Fault#MAX_DURATION}
     * @return the handle that removes the latency from all those paths
     */
    public FaultHandle slow(String from, String to, Duration latency) {
        return inject(from, to, Fault.latency(latency));
    }

    /**
     * Makes every path from {@code from} to {@code to} lossy: each 1,448-byte segment stalls with
     * probability {@code p} for a retransmission timeout and then arrives intact (TCP loses no
     * bytes): {@link #inject(String, String, TcpFault) inject}{@code (from, to, Fault.loss(p))}.
     *
     * @param from the node whose connections get the loss
     * @param to the node those connections go to
     * @param p the probability that a segment stalls, in {@code [0, 1]}
     * @return the handle that removes the loss from all those paths
     */
    public FaultHandle flaky(String from, String to, double p) {
        return inject(from, to, Fault.loss(p));
    }

    /**
     * Holds every byte between {@code a} and {@code b}, on the connections each opened to the
     * other, until {@link #release(String, String)}: the connections stay open and the bytes arrive
     * intact, in order, on release. Independent of the partition shapes ({@link #heal()} does not
     * release it) and of other pairs. Holding a held pair changes nothing. Journalled.
     *
     * @param a a node of this cluster
     * @param b another node of this cluster
     * @throws IllegalArgumentException if a node is unknown or {@code a} equals {@code b}
     */
    public synchronized void hold(String a, String b) {
        checkOpen();
        checkPair("hold", a, b);
        Set<String> pair = Set.of(a, b);
        if (!held.containsKey(pair)) {
            List<FaultHandle> handles = new ArrayList<>();
            paths.forEach((key, link) -> {
                if (key.joins(a, b)) {
                    handles.add(link.inject(Fault.freeze()));
                }
            });
            held.put(pair, handles);
        }
        record("hold " + a + "|" + b);
    }

    /**
     * Ends {@link #hold(String, String)} on a pair: held bytes flow on, in order. Idempotent. Journalled.
     *
     * @param a a node of this cluster
     * @param b another node of this cluster
     */
    public synchronized void release(String a, String b) {
        checkOpen();
        checkPair("release", a, b);
        List<FaultHandle> handles = held.remove(Set.of(a, b));
        if (handles != null) {
            handles.forEach(FaultHandle::remove);
        }
        record("release " + a + "|" + b);
    }

    /**
     * Crashes {@code node} as its peers see it: every live connection through the node's paths,
     * to it and from it, is reset (RST: {@code Connection reset} on both ends), and until {@link
     * #restore(String)} every new connection along them is refused ({@code Connection refused};
     * the paths keep their ports, see {@link Fault#refuse()}). Through {@link
     * #advertised(String, int)} a new connection is reset instead (its handshake completes with the
     * shared address before the source is known). The node's own process keeps running: stop it
     * yourself for a process crash. Independent of the partition shapes ({@link #heal()} does not
     * restore it). Crashing a crashed node changes nothing. Journalled.
     *
     * @param node the node to crash
     */
    public synchronized void crash(String node) {
        checkOpen();
        checkNode(node);
        if (!crashed.containsKey(node)) {
            List<FaultHandle> handles = new ArrayList<>();
            List<TcpLink> links = paths.entrySet().stream()
                    .filter(e -> e.getKey().from().equals(node) || e.getKey().to().equals(node))
                    .map(Map.Entry::getValue).toList();
            links.forEach(link -> handles.add(link.inject(Fault.refuse()))); // no new connection slips in
            links.forEach(link -> handles.add(link.inject(Fault.reset())));
            crashed.put(node, handles);
        }
        record("crash " + node);
    }

    /**
     * Ends {@link #crash(String)}: the node's paths accept connections again. Idempotent. Journalled.
     *
     * @param node the node to restore
     */
    public synchronized void restore(String node) {
        checkOpen();
        checkNode(node);
        List<FaultHandle> handles = crashed.remove(node);
        if (handles != null) {
            handles.forEach(FaultHandle::remove);
        }
        record("restore " + node);
    }

    /**
     * Returns the nodes crashed now ({@link #crash(String)} without {@link #restore(String)}), in crash order.
     *
     * @return the crashed nodes; a copy
     */
    public synchronized List<String> crashed() {
        return List.copyOf(crashed.keySet());
    }

    /**
     * Returns the host of {@code node}: its servers bind there ({@link #endpoint(String, int)}) and,
     * for {@link #advertised(String, int)}, its outgoing sockets must bind there too.
     *
     * @param node a node of this cluster
     * @return the node's leased loopback address
     */
    public InetAddress host(String node) {
        checkNode(node);
        return space.host(node);
    }

    /**
     * Returns a socket factory for {@code node}'s outgoing connections: every socket it makes is
     * bound to {@link #host(String) node's host} (port chosen by the kernel) before it connects, so
     * that {@link #advertised(String, int)} recognises the node. Hand it to clients that take a
     * {@link SocketFactory}; for others, bind the socket yourself ({@code
     * socket.bind(new InetSocketAddress(cluster.host(node), 0))}).
     *
     * @param node a node of this cluster
     * @return a factory whose sockets are bound to the node's host before they connect
     */
    public SocketFactory socketFactory(String node) {
        InetAddress local = host(node);
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(local, 0));
                return socket;
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(host, port, local, 0);
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return new Socket(host, port, localHost, localPort);
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return new Socket(host, port, local, 0);
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return new Socket(address, port, localAddress, localPort);
            }

            @Override
            public String toString() {
                return "SocketFactory binding to " + node + " (" + local.getHostAddress() + ")";
            }
        };
    }

    /**
     * Returns the one address by which <em>every</em> node reaches {@code port} of {@code node}, for
     * systems that give all nodes the same peer list (one advertised address per node). A link
     * there recognises the calling node by the connection's source address — the node's {@link
     * #host(String) host}, so the caller must bind its outgoing sockets there (see {@link
     * #socketFactory(String)}) — and forwards the connection along that node's path, so every
     * per-pair operation applies. A connection from any other address (a socket left unbound
     * comes from 127.0.0.1) is reset at once and journalled on {@link #advertisedLink(String, int)}
     * as {@code UPSTREAM_FAILED}: a wiring mistake shows instead of bypassing the faults. A node
     * reaching its own advertised address goes straight to its endpoint. Opened on first use.
     *
     * @param node the node whose servers the address reaches
     * @param port one of the cluster's ports
     * @return the address every other node dials to reach {@code node} on {@code port}
     */
    public synchronized Endpoint advertised(String node, int port) {
        return advertisedLink(node, port).endpoint();
    }

    /**
     * Returns the link behind {@link #advertised(String, int)} (its events show refused sources).
     *
     * @param node the node whose advertised address it is
     * @param port one of the cluster's ports
     * @return the link that listens on the advertised address
     */
    public synchronized TcpLink advertisedLink(String node, int port) {
        checkOpen();
        checkNode(node);
        checkPort(node, port);
        PathKey key = new PathKey("*", node, port);
        TcpLink router = routers.get(key);
        if (router == null) {
            Endpoint direct = endpoint(node, port);
            Map<String, InetSocketAddress> via = new HashMap<>();
            via.put(node, new InetSocketAddress(direct.address(), direct.port()));
            for (String from : nodes) {
                if (!from.equals(node)) {
                    Endpoint path = path(from, node, port);
                    via.put(from, new InetSocketAddress(path.address(), path.port()));
                }
            }
            router = space.link("advertised " + node + ":" + port, direct);
            TcpLinks.route(router, client -> {
                String from = nodeOfHost.get(client.getAddress());
                return from == null ? null : via.get(from);
            });
            routers.put(key, router);
        }
        return router;
    }

    /**
     * Returns the connections that reached a node's server without going through the cluster, read
     * from the kernel's socket tables now: every established connection to a node's {@link
     * #endpoint(String, int)} whose peer is neither one of the links of the node's paths (or of its
     * {@link #advertised(String, int) advertised address}) nor the node's own host. Such a client
     * dialled the node's real endpoint, so no fault or partition acts on it. Only connections open
     * at the call are seen: one that came and went is not.
     *
     * @return the connections that bypass the cluster's links, possibly none
     * @throws UnsupportedOperationException where the platform has no socket tables (only Linux has)
     */
    public synchronized List<Connection> bypasses() {
        checkOpen();
        List<Connection> found = new ArrayList<>();
        for (String node : nodes) {
            Set<InetAddress> allowed = new HashSet<>();
            allowed.add(space.host(node));
            paths.forEach((key, link) -> {
                if (key.to().equals(node)) {
                    allowed.add(link.endpoint().address());
                }
            });
            routers.forEach((key, link) -> {
                if (key.to().equals(node)) {
                    allowed.add(link.endpoint().address());
                }
            });
            for (int port : ports) {
                for (Connection c : SocketInspector.peersOf(endpoint(node, port))) {
                    if (!allowed.contains(c.remote().address())) {
                        found.add(c);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Returns a builder for a seeded schedule of nemesis operations on this cluster; see {@link Nemesis}.
     *
     * @return a new builder for a schedule on this cluster
     */
    public synchronized Nemesis.Builder nemesis() {
        checkOpen();
        return new Nemesis.Builder(this);
    }

    /**
     * Returns the schedules started on this cluster, oldest first (finished ones included).
     *
     * @return the schedules; a copy
     */
    public synchronized List<Nemesis> nemeses() {
        return List.copyOf(nemeses);
    }

    synchronized Nemesis started(Nemesis nemesis) {
        checkOpen();
        nemeses.add(nemesis);
        return nemesis;
    }

    synchronized long seedFor(String purpose) {
        return Seeds.derive(space.seed(), "cluster " + nodes + " " + purpose + " " + nemeses.size());
    }

    synchronized @Nullable Step lastStep() {
        return journal.isEmpty() ? null : journal.get(journal.size() - 1);
    }

    private void checkPair(String operation, String a, String b) {
        checkNode(a);
        checkNode(b);
        if (a.equals(b)) {
            throw new IllegalArgumentException(operation + "(" + a + ", " + b + "): a node has no path to itself");
        }
    }

    private List<String> shuffled(SplittableRandom draw) {
        List<String> order = new ArrayList<>(nodes);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = draw.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        return order;
    }

    /**
     * Cuts {@code node} off from every other node (both ways); the others stay connected.
     *
     * @param node the node to cut off
     */
    public synchronized void isolate(String node) {
        checkOpen();
        checkNode(node);
        Map<String, Integer> groupOf = new LinkedHashMap<>();
        nodes.forEach(n -> groupOf.put(n, n.equals(node) ? 0 : 1));
        cut(groupOf);
        record("isolate " + node);
    }

    /**
     * Ends the partition shape: every path healed, held data flows on, in order. Crashes, holds and
     * injected faults stay. Idempotent.
     */
    public synchronized void heal() {
        checkOpen();
        paths.values().forEach(Link::heal);
        record("heal");
    }

    /**
     * Returns true if any path between {@code a} and {@code b}, either way, is partitioned now.
     *
     * @param a a node of this cluster
     * @param b another node of this cluster
     * @return true while the path {@code a} → {@code b} or {@code b} → {@code a} is partitioned on some port
     */
    public synchronized boolean isPartitioned(String a, String b) {
        checkNode(a);
        checkNode(b);
        return paths.entrySet().stream()
                .filter(e -> e.getKey().joins(a, b))
                .anyMatch(e -> e.getValue().isPartitioned());
    }

    /**
     * Returns the nemesis operations performed so far, oldest first, with the time each took effect.
     *
     * @return the journal so far, oldest first; a copy, which later operations do not change
     */
    public synchronized List<Step> journal() {
        return List.copyOf(journal);
    }

    /**
     * Stops its nemesis schedules and closes every path; idempotent. The space keeps the nodes'
     * hosts until it closes.
     */
    @Override
    public void close() {
        List<Nemesis> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(nemeses);
            paths.values().forEach(Link::close);
            routers.values().forEach(Link::close);
        }
        running.forEach(Nemesis::stop); // outside the lock: a step in progress may be waiting for it
    }

    @Override
    public synchronized String toString() {
        return "Cluster" + nodes + " ports " + ports + (closed || space.isClosed() ? " (closed)" : "");
    }

    private Map<String, Integer> groupsOf(List<Collection<String>> groups) {
        if (groups.size() < 2) {
            throw new IllegalArgumentException("a partition needs at least 2 groups; got " + describe(groups));
        }
        Map<String, Integer> groupOf = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).isEmpty()) {
                throw new IllegalArgumentException("group " + (i + 1) + " of " + describe(groups) + " is empty");
            }
            for (String node : groups.get(i)) {
                checkNode(node);
                Integer earlier = groupOf.put(node, i);
                if (earlier != null && earlier != i) {
                    throw new IllegalArgumentException("node " + node + " is in two groups of " + describe(groups)
                            + "; each node belongs to exactly one");
                }
            }
        }
        List<String> missing = nodes.stream().filter(n -> !groupOf.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("nodes " + missing + " are in no group of " + describe(groups)
                    + "; name every node of " + nodes);
        }
        return groupOf;
    }

    private static String describe(List<Collection<String>> groups) {
        return groups.stream().map(List::copyOf).toList().toString();
    }

    private void record(String operation) {
        journal.add(new Step(Instant.now(), operation));
    }

    private void checkNode(String node) {
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException("unknown node " + node + "; the cluster's nodes are " + nodes);
        }
    }

    private void checkPort(String node, int port) {
        if (!ports.contains(port)) {
            throw new IllegalArgumentException("node " + node + " does not serve port " + port + "; its ports are " + ports);
        }
    }

    private void checkOpen() {
        if (closed || space.isClosed()) {
            throw new IllegalStateException("the cluster " + nodes + " is closed" + (space.isClosed() ? " (its space closed)" : ""));
        }
    }

    private record PathKey(String from, String to, int port) {
        boolean joins(String a, String b) {
            return (from.equals(a) && to.equals(b)) || (from.equals(b) && to.equals(a));
        }

        @Override
        public String toString() {
            return from + "->" + to + ":" + port;
        }
    }
}
