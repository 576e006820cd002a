package dev.loopback;

import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import dev.loopback.internal.access.SpaceAccess;
import dev.loopback.internal.inspect.PortHolders;
import dev.loopback.internal.lease.Cidr;
import dev.loopback.internal.lease.HostLease;
import dev.loopback.internal.lease.HostPool;
import dev.loopback.internal.lease.PlatformProbe;
import dev.loopback.internal.link.LinkSetup;
import dev.loopback.internal.names.JdkCache;
import dev.loopback.internal.names.NameTable;
import dev.loopback.internal.names.Syntax;
import dev.loopback.internal.random.Seeds;
import dev.loopback.internal.tcp.TcpLinks;
import dev.loopback.internal.udp.UdpLinks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One test's private slice of the loopback network: its own addresses, ports on them, and
 * fault-injecting links between them.
 *
 * <p><b>Hosts.</b> {@link #host(String)} leases a loopback address ({@code 127.a.b.c}) under a
 * name; the same name gives the same host, different names different hosts. A host is leased to
 * one live space only — across threads, JVMs (Surefire forks, concurrent builds) and users of the
 * machine — and the kernel gives it back if the process dies, so a {@code kill -9} never leaks one.
 * By default hosts come from {@value #DEFAULT_POOL}, which keeps clear of {@code 127.0.0.0/16}
 * ({@code 127.0.0.1}, {@code 127.0.0.53}, {@code 127.0.1.1}). Hosts are handed out least recently
 * used first, so the connections an earlier test left in TIME_WAIT on a host are as old as can be.
 *
 * <p><b>Ports.</b> What the lease makes exclusive is the host among Loopback users: no other space,
 * in any JVM of any user, leases it while this one holds it, so any number of parallel spaces can
 * each use port 8080. The kernel enforces only that: the lease is one socket bound to port
 * {@value dev.loopback.internal.lease.HostLease#SENTINEL_PORT} of the host, and any other process,
 * of any user, can still bind any other port of it (or the port on the wildcard). So
 * {@link #endpoint(String)} and {@link #endpoint(String, int)} hand out a port that was free when
 * checked, and {@link #bind(String)} and {@link #bind(String, int)} a listener already bound: from
 * then on the kernel refuses every other bind of that port, on the host and on the wildcard. Where
 * your server accepts a listening channel or socket, hand it one from {@code bind}: no race at all.
 *
 * <p><b>Links.</b> {@link #link(Endpoint)} and {@link #udpLink(Endpoint)} open relays on hosts of
 * their own that forward to an upstream endpoint and inject {@link Fault}s.
 *
 * <p><b>Host names</b> (JDK 18+, see {@link HostNames}). {@link #hostName(String)} gives a host a
 * name of this space's own, {@code db.s7.loopback.test}, that resolves to it for every caller in the
 * JVM, and {@link #hostName(Link)} one to a link's host; {@link #exclusiveHostName(String)} gives a
 * host a bare name such as {@code db}, held by one live space of the JVM at a time. All of them
 * disappear when the space closes.
 *
 * <p><b>Seed.</b> Every random decision of the space's links derives from {@link #seed()}; opening
 * a space with the same seed replays the same decisions.
 *
 * <p>A space is thread-safe. {@link #close()} closes everything the space created and returns its
 * hosts; using a closed space throws {@link IllegalStateException}.
 */
public final class LoopbackSpace implements AutoCloseable {

    /** The default address pool: 4 million addresses outside {@code 127.0.0.0/16}. */
    public static final String DEFAULT_POOL = "127.64.0.0/10";

    /** The default bound of buffered bytes per direction of a link connection: 256 KiB. */
    public static final int DEFAULT_LINK_BUFFER_BYTES = 256 * 1024;

    /**
     * The default TCP window of a link connection: 4 MiB, within the range Linux's receive-buffer
     * autotuning reaches by default ({@code net.ipv4.tcp_rmem} grows to 6 MiB, of which the kernel
     * advertises roughly half to three quarters as window). See {@link Builder#linkWindowBytes(int)}.
     */
    public static final int DEFAULT_LINK_WINDOW_BYTES = 4 * 1024 * 1024;

    private static final String LINK_HOST_PREFIX = "link:";
    private static final Cidr DEFAULT_CIDR = Cidr.parse(DEFAULT_POOL);
    private static final int MAX_PORT_ATTEMPTS = 64;
    /** Ids of spaces in their host names ({@code s7} in {@code db.s7.loopback.test}): never reused in a JVM. */
    private static final AtomicLong NAME_IDS = new AtomicLong();

    static {
        SpaceAccess.register(new SpaceAccess() {
            @Override
            public void closeSockets(LoopbackSpace space) {
                space.closeSockets();
            }

            @Override
            public Set<Endpoint> handedOut(LoopbackSpace space) {
                return space.handedOut();
            }

            @Override
            public Builder assumeLoopbackAliases(Builder builder, boolean available) {
                return builder.assumeLoopbackAliases(available);
            }
        });
    }

    private final long seed;
    private final HostPool pool;
    private final boolean fallback;
    private final int linkBufferBytes;
    private final int linkWindowBytes;
    private final Map<String, HostLease> leases = new LinkedHashMap<>();
    private final Map<String, InetAddress> hosts = new LinkedHashMap<>();
    private final Map<String, Link<?>> links = new LinkedHashMap<>();
    private final List<Cluster> clusters = new ArrayList<>();
    private final List<ServerSocketChannel> channels = new ArrayList<>();
    /** Endpoints handed out or bound, so a kernel-assigned port is never handed out twice; lazily created. */
    private @Nullable Set<Endpoint> handedOut;
    /** This space's id in its host names; assigned by the first {@link #hostName(String)}. */
    private @Nullable String nameId;
    private boolean socketsClosed;
    private boolean closed;

    private LoopbackSpace(Builder b, boolean fallback) {
        this.seed = b.seed != null ? b.seed : Seeds.fresh();
        this.pool = HostPool.of(b.pool);
        this.fallback = fallback;
        this.linkBufferBytes = b.linkBufferBytes;
        this.linkWindowBytes = b.linkWindowBytes;
    }

    /**
     * Opens a space with a random seed, the default pool and the {@code FALLBACK} platform policy.
     *
     * @return the open space; close it (try-with-resources) to give its hosts back
     */
    public static LoopbackSpace open() {
        return builder().open();
    }

    /**
     * Returns a builder for a space with a given seed, pool, platform policy or link buffer.
     *
     * @return a new builder with the defaults of {@link #open()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the seed from which every random decision of this space derives.
     *
     * @return the seed; print it to replay a failing run with {@link Builder#seed(long)}
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the bound of bytes each link of this space buffers per direction of a connection.
     *
     * @return the bound in bytes (see {@link Builder#linkBufferBytes(int)})
     */
    public int linkBufferBytes() {
        return linkBufferBytes;
    }

    /**
     * Returns the TCP window of each link connection of this space, per direction.
     *
     * @return the window in bytes (see {@link Builder#linkWindowBytes(int)})
     */
    public int linkWindowBytes() {
        return linkWindowBytes;
    }

    /**
     * Returns true if this platform cannot bind loopback addresses beyond {@code 127.0.0.1} and the
     * space fell back to it: every host is then {@code 127.0.0.1} and fixed ports are refused.
     *
     * @return true if the space runs on {@code 127.0.0.1} alone
     */
    public boolean isFallback() {
        return fallback;
    }

    /**
     * Returns the host named {@code name}, leasing an address for it on first use.
     *
     * @param name the host's name in this space, for example {@code db}
     * @return the host's address, the same for every call with {@code name}
     * @throws IllegalArgumentException if {@code name} is blank or starts with {@code link:}
     * @throws IllegalStateException if the space is closed or the pool is exhausted
     */
    public synchronized InetAddress host(String name) {
        checkName("host name", name);
        if (name.startsWith(LINK_HOST_PREFIX)) {
            throw new IllegalArgumentException("host name '" + name + "' starts with '" + LINK_HOST_PREFIX
                    + "', which is reserved for the hosts of links");
        }
        return lease(name, null);
    }

    /**
     * Returns the host name of host {@code host}, unique to this space: {@code db.s7.loopback.test}
     * for {@code hostName("db")} (the host is leased on first use, as by {@link #host(String)}).
     * Until the space closes, the name resolves to the host through the JDK's resolver for every
     * caller in the JVM, on any thread (pools created before the space included) — {@code InetAddress}
     * and every client that resolves through it: {@code Socket}, {@code HttpClient}, {@code URL} —
     * and a reverse lookup of the host's address
     * ({@code getHostName()}) gives the name. Two live spaces that both name a host "db" get
     * different names, each resolving to its own host. The space's id ({@code s7}) is never reused
     * in the JVM, so no later space gets this name.
     *
     * <p>After {@link #close()} a lookup of the name fails with {@code UnknownHostException} — unless
     * the JDK cached a successful lookup of it less than {@code networkaddress.cache.ttl} ago (30 s by
     * default): its cache sits above every resolver and cannot be evicted, so until then it still
     * answers the old address, which may by then be leased to another space. Reverse lookups are
     * not cached by the JDK beyond the {@code InetAddress} object that made them.
     *
     * @param host the host, one DNS label (leased on first use as by {@link #host(String)})
     * @return the fully qualified name that resolves to the host's address in this JVM
     * @throws IllegalArgumentException if {@code host} is not one DNS label ({@code db},
     *     {@code payments-api}), or differs only in case from a host of this space already named
     * @throws UnsupportedOperationException if host names do not resolve in this JVM: on JDK 17, and
     *     where {@link HostNames#unavailableReason()} says why
     * @throws IllegalStateException if the space is closed or the pool is exhausted
     */
    public String hostName(String host) {
        Syntax.checkLabel("host", host);
        HostNames.require("hostName(\"" + host + "\")");
        synchronized (this) {
            return registerSpaceName("host '" + host + "'", host, host(host));
        }
    }

    /**
     * Returns a host name of {@code link}'s own host, unique to this space:
     * {@code db.link.s7.loopback.test} for a link named "db". A client configured with it dials the
     * link, so what it sends goes through the link's faults to the upstream. It resolves, reverse
     * resolves and goes away with the space exactly as the names of {@link #hostName(String)} do
     * (closing the link alone keeps the name until the space closes; it then answers
     * {@code Connection refused}).
     *
     * @param link a link of this space
     * @return the fully qualified name that resolves to the link's listening address in this JVM
     * @throws IllegalArgumentException if {@code link} is not a link of this space, its name is not
     *     one DNS label, or another link of this space differs from it only in case
     * @throws UnsupportedOperationException if host names do not resolve in this JVM (JDK 17, ...)
     * @throws IllegalStateException if the space is closed
     */
    public String hostName(Link<?> link) {
        Objects.requireNonNull(link, "link");
        Syntax.checkLabel("link", link.name());
        HostNames.require("hostName(link \"" + link.name() + "\")");
        synchronized (this) {
            if (closed) {
                throw closedException("hostName(link \"" + link.name() + "\")");
            }
            if (links.get(link.name()) != link) {
                throw new IllegalArgumentException("link '" + link.name() + "' is not a link of this space (or it is"
                        + " closed): name a link in the space that opened it");
            }
            return registerSpaceName("link '" + link.name() + "'", link.name() + ".link", link.endpoint().address());
        }
    }

    /** Registers {@code labels.<space id>.loopback.test} for {@code address}; caller holds this space's lock. */
    private String registerSpaceName(String what, String labels, InetAddress address) {
        if (nameId == null) {
            nameId = "s" + Long.toString(NAME_IDS.incrementAndGet(), 36);
        }
        String name = labels.toLowerCase(Locale.ROOT) + "." + nameId + "." + HostNames.DOMAIN;
        if (NameTable.register(name, address, this, !fallback) != null) {
            throw new IllegalArgumentException(what + " cannot have a host name: another one of this space differs"
                    + " from it only in case, and DNS names do not tell case apart (" + name + ")");
        }
        return name;
    }

    /**
     * Makes {@code name} itself — a bare {@code db}, or {@code payments.internal} — resolve to the
     * host {@code name} of this space (leased on first use), for every caller in the JVM, until
     * the space closes. A reverse lookup of the host's address then gives {@code name}. Use it
     * for configuration that cannot be changed per test (a fixed {@code jdbc:postgresql://db:5432/app});
     * prefer {@link #hostName(String)}, which parallel tests can all use at once.
     *
     * <p>The name is JVM-wide, so only one live space of the JVM may hold it at a time: tests that
     * use it must not run concurrently with each other in the same JVM (other JVMs — Surefire
     * forks, other builds — never see it). It shadows the system's answer for that name, and the
     * JDK's cache above the resolver may still answer a lookup made before this call (successful
     * ones for {@code networkaddress.cache.ttl}, 30 s by default; failed ones for
     * {@code networkaddress.cache.negative.ttl}, 10 s). So the host is leased, where it can be, at
     * the address the name had last in this JVM, which keeps such cached answers right; and the
     * name is resolved once before it is returned: if the JDK still gives another answer, this
     * fails saying so instead of letting the test reach another host.
     *
     * @param name the DNS name to claim, for example {@code kafka} or {@code db.example.com}
     * @return {@code name} in lower case, as it resolves
     * @throws IllegalArgumentException if {@code name} is not a DNS name, is a {@code localhost}
     *     name, or lies under {@value HostNames#DOMAIN}
     * @throws IllegalStateException if another live space holds the name, or the JDK's cache still
     *     answers the name differently; also if the space is closed or the pool is exhausted
     * @throws UnsupportedOperationException if host names do not resolve in this JVM (JDK 17, ...)
     */
    public String exclusiveHostName(String name) {
        String key = Syntax.checkExclusive(name);
        HostNames.require("exclusiveHostName(\"" + name + "\")");
        String host = key.split("\\.", 2)[0];
        InetAddress address;
        NameTable.Entry held;
        synchronized (this) {
            address = lease(name, NameTable.lastAddress(key));
            held = NameTable.register(key, address, this, !fallback);
        }
        if (held != null && held.owner() == this) {
            throw new IllegalArgumentException("host '" + name + "' cannot have the exclusive name '" + key + "': another"
                    + " host of this space already has it, differing only in case, which DNS names do not tell apart");
        }
        if (held != null) { // described outside this space's lock: the holder's toString takes the holder's
            throw new IllegalStateException("exclusive host name '" + key + "' is held by another live space ("
                    + held.owner() + "): a bare name is JVM-wide, so only one live space of the JVM can hold it."
                    + " Tests that run in parallel should use hostName(\"" + host + "\") instead, a name unique"
                    + " to each space");
        }
        String stale = JdkCache.staleAnswer(key, address);
        if (stale != null) {
            NameTable.unregister(key, this);
            throw new IllegalStateException("exclusive host name '" + key + "' cannot be given to " + address.getHostAddress()
                    + " yet: " + stale + ". Use hostName(\"" + host + "\") (a name no earlier lookup can have"
                    + " seen), or let the JDK cache less: -Dsun.net.inetaddr.ttl=0 and the security property"
                    + " networkaddress.cache.negative.ttl=0");
        }
        return key;
    }

    /**
     * Returns every host leased so far by name, in the order they were leased, links' hosts
     * included (as {@code link:<name>}). Empty until a host is first used.
     *
     * @return the hosts by name; a copy
     */
    public synchronized Map<String, InetAddress> hosts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    }

    /**
     * Returns an endpoint with a kernel-assigned port on host {@code host}, free when returned and
     * never one this space has handed out on that host before, so several endpoints taken before
     * any server binds do not collide. No other Loopback space can take it (the host is this
     * space's), but until your server binds it any other process can, on the host or the wildcard
     * — the server then fails with "Address already in use" (the JUnit extension's failure report
     * names that process), or clients reach the other program if yours has not bound yet. Where the
     * server accepts a listening channel or socket, use {@link #bind(String)} instead: no race.
     *
     * @param host the host's name in this space
     * @return an endpoint on {@code host} with a free port no other endpoint of this space has
     * @throws IllegalArgumentException if {@code host} is blank
     * @throws IllegalStateException if the space is closed or the pool is exhausted
     */
    public Endpoint endpoint(String host) {
        return endpoint(host, 0);
    }

    /**
     * Returns the endpoint {@code port} on host {@code host}, checked to be bindable now. Parallel
     * spaces may all use the same port, each on its own host. The check is of this moment only: as
     * for {@link #endpoint(String)}, any other process can bind the port before your server does;
     * {@link #bind(String, int)} hands over a listener instead, with no race. Asking again for an
     * endpoint this space already handed out or bound returns it without a check, since the test's
     * own server may be listening there by then. Port 0 asks for a kernel-assigned one, as
     * {@link #endpoint(String)}.
     *
     * @param host the host's name in this space
     * @param port the port, in {@code 1..65535}, or 0 for a free one as {@link #endpoint(String)}
     * @return an endpoint on {@code host} at {@code port}
     * @throws IllegalArgumentException if {@code port} is outside {@code 0..65535} or is the lease
     *     sentinel's port
     * @throws IllegalStateException if the port cannot be bound — naming the wildcard listener that
     *     blocks it, if that is the cause — or if the platform policy fell back to
     *     {@code 127.0.0.1}, where fixed ports are refused
     */
    public Endpoint endpoint(String host, int port) {
        InetAddress address = addressFor("endpoint", host, port);
        if (port != 0) {
            Endpoint fixed = new Endpoint(address, port);
            synchronized (this) { // two threads asking for the same port must not see each other's probe
                if (!handedOut(fixed)) {
                    closeQuietly(probe(address, port, false));
                    remember(fixed);
                }
            }
            return fixed;
        }
        NetworkChannel probe = freshPort(address, false);
        Endpoint endpoint = new Endpoint(address, localPort(probe));
        closeQuietly(probe);
        return endpoint;
    }

    /**
     * Returns an IPv4 listener already bound to a kernel-assigned port of {@code host}, in blocking
     * mode, on a port this space has not handed out before. While it is open the kernel refuses
     * every other bind of that port — on the host or on the wildcard, by any process — so a server
     * handed this channel (or its {@code socket()}) owns its port with no race. The space closes it
     * on close unless the caller did first.
     *
     * @param host the host's name in this space
     * @return the bound listener; the caller accepts on it and may close it
     */
    public ServerSocketChannel bind(String host) {
        return bind(host, 0);
    }

    /**
     * Returns an IPv4 listener already bound to {@code port} of {@code host}, in blocking mode, with
     * {@code SO_REUSEADDR} (so connections of earlier tests in TIME_WAIT do not block the port).
     *
     * @param host the host's name in this space
     * @param port the port, as for {@link #endpoint(String, int)}
     * @return the bound listener; the caller accepts on it and may close it
     * @throws IllegalArgumentException if {@code port} is invalid, as for {@link #endpoint(String, int)}
     * @throws IllegalStateException if the port cannot be bound, as for {@link #endpoint(String, int)}
     */
    public ServerSocketChannel bind(String host, int port) {
        InetAddress address = addressFor("bind", host, port);
        ServerSocketChannel channel;
        if (port == 0) {
            channel = (ServerSocketChannel) freshPort(address, true);
        } else {
            channel = (ServerSocketChannel) probe(address, port, true);
            remember(new Endpoint(address, port));
        }
        synchronized (this) {
            if (socketsClosed) {
                closeQuietly(channel);
                throw closedException(call("bind", host, port));
            }
            channels.add(channel);
        }
        return channel;
    }

    /**
     * Opens a TCP link to {@code upstream}, named {@code link-N}. See {@link #link(String, Endpoint)}.
     *
     * @param upstream where the link forwards to
     * @return the open link, listening on a host of its own
     */
    public synchronized TcpLink link(Endpoint upstream) {
        return link(nextLinkName(), upstream);
    }

    /**
     * Opens a TCP link named {@code name} that listens on a host of its own and forwards to
     * {@code upstream}. Its random decisions derive from the space's seed and {@code name}.
     *
     * @param name the link's name in this space, unique
     * @param upstream where the link forwards to, a loopback IPv4 endpoint
     * @return the open link, listening on a host of its own
     * @throws IllegalArgumentException if {@code name} is blank or already names a link, or if
     *     {@code upstream} is not a loopback address (the wildcard {@code 0.0.0.0}/{@code [::]}
     *     or an address off this machine: a link never dials off the loopback network) or is an
     *     IPv6 endpoint (links listen and dial on IPv4 loopback hosts)
     */
    public synchronized TcpLink link(String name, Endpoint upstream) {
        return openLink("TCP", name, upstream, null, TcpLinks::open);
    }

    /**
     * Opens a TCP link named {@code name} that listens on {@code listenAt} instead of a host of its
     * own, for a client whose address is fixed ({@code 127.0.0.1:5432} in a configuration file, say).
     * The link still dials {@code upstream} from a host of its own. Port 0 asks for a
     * kernel-assigned port of {@code listenAt}'s address.
     *
     * <p>The lease covers only this space's hosts: on another address (such as {@code 127.0.0.1})
     * any process may hold or take the port, so prefer {@link #link(String, Endpoint)} where the
     * client's address can be configured.
     *
     * @param name the link's name in this space, unique
     * @param upstream where the link forwards to, a loopback IPv4 endpoint
     * @param listenAt the IPv4 loopback address and port to listen on; port 0 for a kernel-assigned one
     * @return the open link, listening on {@code listenAt} (with the kernel's port if 0 was given)
     * @throws IllegalArgumentException as {@link #link(String, Endpoint)} does, or if
     *     {@code listenAt} is not an IPv4 loopback address ({@code 127.0.0.0/8})
     * @throws java.io.UncheckedIOException if {@code listenAt} cannot be bound (its cause a
     *     {@link java.net.BindException} when the port is in use; the message names the holder
     *     where this user may see it)
     */
    public synchronized TcpLink link(String name, Endpoint upstream, Endpoint listenAt) {
        return openLink("TCP", name, upstream, checkListenAt("TCP", name, listenAt), TcpLinks::open);
    }

    /**
     * Opens a UDP link to {@code upstream}, named {@code link-N}. See {@link #udpLink(String, Endpoint)}.
     *
     * @param upstream where the link sends datagrams to
     * @return the open link, listening on a host of its own
     */
    public synchronized UdpLink udpLink(Endpoint upstream) {
        return udpLink(nextLinkName(), upstream);
    }

    /**
     * Opens a UDP link named {@code name} that receives on a host of its own and forwards each
     * client's datagrams to {@code upstream}.
     *
     * @param name the link's name in this space, unique
     * @param upstream where the link sends datagrams to, a loopback IPv4 endpoint
     * @return the open link, listening on a host of its own
     * @throws IllegalArgumentException if {@code name} is blank or already names a link, or if
     *     {@code upstream} is not a loopback address (the wildcard {@code 0.0.0.0}/{@code [::]}
     *     or an address off this machine: a link never dials off the loopback network) or is an
     *     IPv6 endpoint (links listen and dial on IPv4 loopback hosts)
     */
    public synchronized UdpLink udpLink(String name, Endpoint upstream) {
        return openLink("UDP", name, upstream, null, UdpLinks::open);
    }

    /**
     * Opens a UDP link named {@code name} that receives on {@code listenAt} instead of a host of its
     * own; see {@link #link(String, Endpoint, Endpoint)} for what the lease does not cover there.
     *
     * @param name the link's name in this space, unique
     * @param upstream where the link sends datagrams to, a loopback IPv4 endpoint
     * @param listenAt the IPv4 loopback address and port to listen on; port 0 for a kernel-assigned one
     * @return the open link, listening on {@code listenAt} (with the kernel's port if 0 was given)
     * @throws IllegalArgumentException as {@link #udpLink(String, Endpoint)} does, or if
     *     {@code listenAt} is not an IPv4 loopback address ({@code 127.0.0.0/8})
     * @throws java.io.UncheckedIOException if {@code listenAt} cannot be bound (its cause a
     *     {@link java.net.BindException} when the port is in use)
     */
    public synchronized UdpLink udpLink(String name, Endpoint upstream, Endpoint listenAt) {
        return openLink("UDP", name, upstream, checkListenAt("UDP", name, listenAt), UdpLinks::open);
    }

    /**
     * Opens a {@link Cluster} of {@code nodes}, each a host of this space of the same name serving
     * {@code ports} (the same port numbers on every node), with one TCP link per ordered pair of
     * nodes and port.
     *
     * @param nodes the nodes' names, each a host of this space; at least two
     * @param ports the ports every node serves; at least one
     * @return the cluster, its links open and every path healed
     * @throws IllegalArgumentException if fewer than two nodes or no port are given, a node name is
     *     blank or repeated, or a port is outside {@code 1..65535} or repeated
     * @throws IllegalStateException if the space is closed or a port cannot be bound on a node's host
     */
    public synchronized Cluster cluster(List<String> nodes, int... ports) {
        Cluster cluster = Cluster.open(this, nodes, ports);
        clusters.add(cluster);
        return cluster;
    }

    /**
     * Returns the clusters opened in this space, in creation order (closed ones included).
     *
     * @return the clusters; a copy
     */
    public synchronized List<Cluster> clusters() {
        return List.copyOf(clusters);
    }

    /**
     * Returns the links open in this space, in creation order.
     *
     * @return the open links; a copy
     */
    public synchronized List<Link<?>> links() {
        return List.copyOf(links.values());
    }

    /**
     * Closes every link and listener this space created but keeps its hosts leased, so that what
     * is still listening on them can be inspected before {@link #close()} gives them back.
     * Idempotent; afterwards only {@link #close()}, {@link #hosts()} and {@link #seed()} may be used.
     * Not public API: the JUnit extension reaches it through {@link SpaceAccess}.
     */
    void closeSockets() {
        List<Link<?>> toClose;
        List<ServerSocketChannel> toCloseChannels;
        List<Cluster> toCloseClusters;
        synchronized (this) {
            if (socketsClosed) {
                return;
            }
            socketsClosed = true;
            toClose = new ArrayList<>(links.values());
            toCloseChannels = new ArrayList<>(channels);
            channels.clear();
            toCloseClusters = List.copyOf(clusters);
        }
        toCloseClusters.forEach(Cluster::close); // stops their nemesis schedules first
        for (Link<?> link : toClose) {
            link.close();
        }
        toCloseChannels.forEach(LoopbackSpace::closeQuietly);
    }

    /** Closes everything the space created and gives its hosts back. Idempotent. */
    @Override
    public void close() {
        closeSockets();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            NameTable.releaseAll(this); // names go before their hosts can be leased again
            leases.values().forEach(lease -> pool.release(this, lease));
            leases.clear();
        }
    }

    /**
     * Returns true once {@link #close()} has been called.
     *
     * @return true once closed; a closed space leases nothing
     */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized String toString() {
        return "LoopbackSpace[seed=" + seed + ", hosts=" + hosts + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- internals

    private static InetSocketAddress checkListenAt(String protocol, String name, Endpoint listenAt) {
        Objects.requireNonNull(listenAt, "listenAt");
        if (!(listenAt.address() instanceof Inet4Address) || !listenAt.address().isLoopbackAddress()) {
            throw new IllegalArgumentException(protocol + " link '" + name + "': cannot listen on " + listenAt.hostPort()
                    + (listenAt.address().isAnyLocalAddress() ? ", the wildcard address (0.0.0.0 or [::]), reachable from"
                            + " other machines" : "")
                    + "; a link listens only on an IPv4 loopback address (127.0.0.0/8)");
        }
        return listenAt.socketAddress();
    }

    private <L extends Link<?>> L openLink(String protocol, String name, Endpoint upstream,
            @Nullable InetSocketAddress listenAt, Function<LinkSetup, L> opener) {
        checkName("link name", name);
        Objects.requireNonNull(upstream, "upstream");
        if (links.containsKey(name)) {
            throw new IllegalArgumentException("link name '" + name + "' is already used in this space");
        }
        if (!upstream.address().isLoopbackAddress()) {
            throw new IllegalArgumentException(protocol + " link '" + name + "': upstream " + upstream.hostPort()
                    + (upstream.address().isAnyLocalAddress() ? " is the wildcard address (0.0.0.0 or [::]), not a loopback one"
                            : " is not a loopback address")
                    + "; a link forwards only to a server on this machine's loopback network (127.0.0.0/8),"
                    + " such as one bound to an endpoint of this space");
        }
        if (!(upstream.address() instanceof Inet4Address)) {
            throw new IllegalArgumentException(protocol + " link '" + name + "': upstream " + upstream.hostPort()
                    + " is an IPv6 endpoint, but a link listens and dials on an IPv4 loopback host of the space;"
                    + " the upstream must be an IPv4 endpoint (bind the server to an IPv4 address)");
        }
        InetAddress host = lease(LINK_HOST_PREFIX + name, null);
        LinkSetup setup = new LinkSetup(name, host, listenAt == null ? new InetSocketAddress(host, 0) : listenAt, upstream, Seeds.derive(seed, LINK_HOST_PREFIX + name),
                linkBufferBytes, linkWindowBytes, () -> forget(name));
        L link;
        try {
            link = opener.apply(setup);
        } catch (RuntimeException | Error e) {
            unlease(LINK_HOST_PREFIX + name); // a link that failed to open leaves no host behind
            throw e;
        }
        links.put(name, link);
        return link;
    }

    private synchronized void forget(String linkName) {
        links.remove(linkName);
    }

    private String nextLinkName() {
        int n = links.size() + 1;
        while (links.containsKey("link-" + n)) {
            n++;
        }
        return "link-" + n;
    }

    private synchronized InetAddress addressFor(String call, String host, int port) {
        if (closed || socketsClosed) {
            throw closedException(call(call, host, port));
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535 (0 = kernel-assigned)");
        }
        if (port == HostLease.SENTINEL_PORT && !fallback) {
            throw new IllegalArgumentException("port " + port + " of a leased host is held by the lease's sentinel"
                    + " socket; use any other port in 1..65534");
        }
        InetAddress address = host(host);
        if (port != 0 && fallback) {
            throw new IllegalStateException("fixed port " + port + " refused: this platform cannot bind loopback"
                    + " addresses beyond 127.0.0.1, so the space fell back to 127.0.0.1 where other processes share"
                    + " every port. Use a kernel-assigned port (endpoint(\"" + host + "\")), or alias the pool: "
                    + PlatformProbe.aliasCommand(pool.cidr()));
        }
        return address;
    }

    /** Leases a host for {@code name}: at {@code preferred} if that address is free, else from the pool. */
    private InetAddress lease(String name, @Nullable InetAddress preferred) {
        if (closed || socketsClosed) {
            throw closedException("host(\"" + name + "\")");
        }
        InetAddress known = hosts.get(name);
        if (known != null) {
            return known;
        }
        InetAddress address;
        if (fallback) {
            address = InetAddress.getLoopbackAddress();
        } else {
            HostLease lease = preferred == null ? null : pool.tryAcquire(this, preferred);
            if (lease == null) {
                lease = pool.acquire(this);
            }
            leases.put(name, lease);
            address = lease.address();
        }
        hosts.put(name, address);
        return address;
    }

    /** Gives back the host leased for {@code name}, if any, so another space or link can lease it. */
    private void unlease(String name) {
        hosts.remove(name);
        HostLease lease = leases.remove(name);
        if (lease != null) {
            pool.release(this, lease);
        }
    }

    private RuntimeException bindFailure(InetAddress address, int port, IOException e) {
        String target = address.getHostAddress() + ":" + port;
        if (!(e instanceof BindException) || port == 0) {
            return new UncheckedIOException("cannot bind " + target + ": " + e.getMessage(), e);
        }
        Optional<Listener> wildcard = SocketInspector.wildcardTcpListener(port);
        if (wildcard.isPresent()) {
            Listener squatter = wildcard.get();
            String owner = SocketInspector.owner(squatter).map(o -> " held by " + o).orElse("");
            return new IllegalStateException("cannot bind " + target + ": a wildcard listener on " + squatter.describe() + owner
                    + " takes port " + port + " on every address, this space's hosts included."
                    + " Bind that server to its own address instead of 0.0.0.0 or ::", e);
        }
        return new IllegalStateException("cannot bind " + target + " (" + e.getMessage() + "); listeners there: "
                + PortHolders.of(address, port), e);
    }

    /**
     * Binds {@code address:port} with {@code SO_REUSEADDR}, so that connections of earlier tests
     * lingering in TIME_WAIT do not block it while any live listener, wildcard ones included, does.
     * With {@code listen} it returns a listening {@link ServerSocketChannel}; without, a bound
     * {@link SocketChannel} that does not listen: enough for the kernel to assign a port and to
     * refuse a port someone listens on, yet harmless to a server binding the port with
     * {@code SO_REUSEADDR} (Java's default) even if a child process spawned at that instant
     * inherited the probe and holds it for a moment.
     */
    private NetworkChannel probe(InetAddress address, int port, boolean listen) {
        NetworkChannel channel = null;
        try {
            channel = listen
                    ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                    : SocketChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(address, port));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw bindFailure(address, port, e);
        }
    }

    /**
     * Binds a kernel-assigned port of {@code address} that this space has not handed out before and
     * records it. A port handed out before is kept bound while binding again, so the kernel has to
     * assign another (it picks at random, so repeats are rare and a few attempts suffice).
     */
    private NetworkChannel freshPort(InetAddress address, boolean listen) {
        NetworkChannel channel = probe(address, 0, listen);
        List<NetworkChannel> repeats = null;
        try {
            while (!remember(new Endpoint(address, localPort(channel)))) {
                if (repeats == null) {
                    repeats = new ArrayList<>();
                } else if (repeats.size() == MAX_PORT_ATTEMPTS) {
                    closeQuietly(channel);
                    throw new IllegalStateException("the kernel assigned only ports this space handed out before on "
                            + address.getHostAddress() + ", " + MAX_PORT_ATTEMPTS + " times in a row");
                }
                repeats.add(channel);
                channel = probe(address, 0, listen);
            }
            return channel;
        } finally {
            if (repeats != null) {
                repeats.forEach(LoopbackSpace::closeQuietly);
            }
        }
    }

    private static int localPort(NetworkChannel channel) {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local port of " + channel, e);
        }
    }

    private synchronized Set<Endpoint> handedOut() {
        return handedOut == null ? Set.of() : Set.copyOf(handedOut);
    }

    private synchronized boolean handedOut(Endpoint endpoint) {
        return handedOut != null && handedOut.contains(endpoint);
    }

    /** Records {@code endpoint} as handed out; returns false if it already was. */
    private synchronized boolean remember(Endpoint endpoint) {
        if (handedOut == null) {
            handedOut = new HashSet<>();
        }
        return handedOut.add(endpoint);
    }

    private static String call(String method, String host, int port) {
        return method + "(\"" + host + "\"" + (port == 0 ? "" : ", " + port) + ")";
    }

    private IllegalStateException closedException(String call) {
        String when = closed ? "closed" : "closing (closeSockets() was called)";
        return new IllegalStateException(call + " on a LoopbackSpace that is " + when + " (seed " + seed
                + "); a space cannot be used after close, open a new one");
    }

    /** Names must be printable: not blank, no control characters, and at least one visible character. */
    private static void checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " '" + name + "' is blank; use a name such as \"db\"");
        }
        boolean visible = false;
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL) {
                throw new IllegalArgumentException(what + " '" + escaped(name) + "' contains the control character "
                        + codePoint(c) + "; use a printable name such as \"db\"");
            }
            visible |= !Character.isSpaceChar(c) && type != Character.FORMAT;
            i += Character.charCount(c);
        }
        if (!visible) {
            throw new IllegalArgumentException(what + " '" + escaped(name) + "' has no visible character; use a"
                    + " printable name such as \"db\"");
        }
    }

    /** Returns {@code name} with every invisible or control character written as {@code U+XXXX}. */
    private static String escaped(String name) {
        StringBuilder s = new StringBuilder();
        name.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || (Character.isSpaceChar(c) && c != ' ')) {
                s.append(codePoint(c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.toString();
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }

    private static void closeQuietly(@Nullable AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a listener cannot fail in a way the test could act on
        }
    }

    /** Options of a space. Every option has a default; {@link #open()} validates them. */
    public static final class Builder {
        private @Nullable Long seed;
        private Cidr pool = DEFAULT_CIDR;
        private PlatformPolicy policy = PlatformPolicy.FALLBACK;
        private int linkBufferBytes = DEFAULT_LINK_BUFFER_BYTES;
        private int linkWindowBytes = DEFAULT_LINK_WINDOW_BYTES;
        private @Nullable Boolean aliases;

        private Builder() {}

        /**
         * Uses {@code seed} instead of a random one, to replay a run's random decisions.
         *
         * @param seed the seed of the space's random decisions
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Leases hosts from {@code cidr}, a block inside {@code 127.0.0.0/8} such as
         * {@code 127.64.0.0/10} (the default). Every space of the JVM that uses the same block
         * shares one least-recently-used cursor over it. {@code 127.0.0.1} and addresses ending in
         * {@code .0} or {@code .255} are never leased (the JDK refuses IPv4 binds to
         * {@code 127.*.*.255}).
         *
         * @param cidr a block inside {@code 127.0.0.0/8}, for example {@code 127.64.0.0/16}
         * @return this builder
         * @throws IllegalArgumentException if {@code cidr} is not a CIDR block inside 127.0.0.0/8,
         *     has host bits set, or holds no address that can be leased
         */
        public Builder pool(String cidr) {
            this.pool = Cidr.parse(cidr);
            return this;
        }

        /**
         * What to do where loopback addresses beyond 127.0.0.1 cannot be bound; default {@code FALLBACK}.
         *
         * @param policy the policy, not null
         * @return this builder
         */
        public Builder platformPolicy(PlatformPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Bounds the bytes a link buffers per direction of each connection (default 256 KiB); a
         * full buffer stops the link reading from the sender, so backpressure reaches it. With no
         * fault active a TCP link reads up to 4 MiB at a time whatever the bound and writes it on
         * at once; what the receiver does not take at once is held, past the bound by at most that
         * one read, and nothing more is read until it has drained to half the bound. UDP links use
         * it to bound what a {@link Fault#freeze()} holds.
         *
         * @param bytes the bound per direction, in 1 KiB .. 64 MiB
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is outside 1 KiB .. 64 MiB
         */
        public Builder linkBufferBytes(int bytes) {
            if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("link buffer " + bytes + " bytes is outside 1024..67108864");
            }
            this.linkBufferBytes = bytes;
            return this;
        }

        /**
         * Sets the TCP window of each link connection (default {@link #DEFAULT_LINK_WINDOW_BYTES}):
         * how many bytes a direction of a connection may have in flight across a latency, as the
         * window two kernels negotiate bounds a real path. A link holds the bytes it delays in
         * memory; with a latency of {@code d} towards the receiver and {@code r} back, it holds at
         * most {@code window × d / (d + r)} delayed bytes, so a bulk transfer reaches
         * {@code window / (d + r)} — what a real path with that round trip and window allows — and
         * no more. This is apart from {@link #linkBufferBytes(int)}, which bounds the bytes due
         * but not yet written (the receiver's backpressure). Memory per direction of a connection:
         * at most window + buffer bytes, held only while a latency fault delays them.
         *
         * @param bytes the window per direction, in 64 KiB .. 256 MiB
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is outside 64 KiB .. 256 MiB
         */
        public Builder linkWindowBytes(int bytes) {
            if (bytes < 64 * 1024 || bytes > 256 * 1024 * 1024) {
                throw new IllegalArgumentException("link window " + bytes + " bytes is outside 65536..268435456");
            }
            this.linkWindowBytes = bytes;
            return this;
        }

        /**
         * Overrides the once-per-JVM probe of whether loopback addresses beyond 127.0.0.1 can be
         * bound, for testing the platform policies and for platforms the probe misjudges. Not public
         * API: the JUnit extension reaches it through {@link SpaceAccess}.
         */
        Builder assumeLoopbackAliases(boolean available) {
            this.aliases = available;
            return this;
        }

        /**
         * Opens the space.
         *
         * @return the open space; close it to give its hosts back
         * @throws LoopbackUnavailableException if aliases are unavailable and the policy is
         *     {@code SKIP} or {@code FAIL}
         */
        public LoopbackSpace open() {
            boolean available = aliases != null ? aliases : PlatformProbe.aliasesAvailable(pool);
            if (!available) {
                String why = "this platform cannot bind loopback addresses beyond 127.0.0.1, such as "
                        + Cidr.format(pool.firstLeasable()) + " of the pool " + pool + " (macOS binds only addresses"
                        + " aliased on lo0). Fix: " + PlatformProbe.aliasCommand(pool);
                switch (policy) {
                    case SKIP -> throw new LoopbackUnavailableException(policy, "skipped: " + why);
                    case FAIL -> throw new LoopbackUnavailableException(policy, why);
                    case FALLBACK -> {
                        return new LoopbackSpace(this, true);
                    }
                }
            }
            return new LoopbackSpace(this, false);
        }
    }
}
