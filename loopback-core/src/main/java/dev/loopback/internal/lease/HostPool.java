package dev.loopback.internal.lease;

import dev.loopback.inspect.Listener;
import dev.loopback.inspect.SocketInspector;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands out {@link HostLease}s from one address block, shared by every space in the JVM that uses
 * the block.
 *
 * <p>Candidates come from a cursor that cycles through the block from a random starting point, so
 * the next host offered is the one offered longest ago (least recently used) and two JVMs rarely
 * probe the same addresses. A candidate is taken only if its sentinel binds; one held by anyone
 * else is skipped. No lock is taken: the cursor is an atomic counter and the kernel arbitrates.
 *
 * <p>A sweep that finds every address held is repeated, with short pauses, for up to
 * {@link #EXHAUSTION_PATIENCE}: a host given back a moment ago can be briefly still held — by a
 * space closing in another thread, or because a child process spawned at that instant (a
 * {@code ProcessBuilder.start()} anywhere in the JVM) inherited the sentinel's descriptor for the
 * milliseconds until it closes inherited descriptors.
 */
public final class HostPool {

    private static final ConcurrentHashMap<Cidr, HostPool> POOLS = new ConcurrentHashMap<>();
    private static final long MAX_ATTEMPTS = 1 << 16;
    /** How long an exhausted pool is retried before {@link #acquire} gives up. */
    static final Duration EXHAUSTION_PATIENCE = Duration.ofMillis(500);

    private final Cidr cidr;
    private final long size;
    private final long start;
    private final AtomicLong cursor = new AtomicLong();
    /** Hosts held per live space of this JVM, for the exhaustion message. */
    private final ConcurrentHashMap<Object, Integer> holders = new ConcurrentHashMap<>();

    private HostPool(Cidr cidr) {
        this.cidr = cidr;
        this.size = cidr.size();
        this.start = ThreadLocalRandom.current().nextLong(size);
    }

    /** Returns the JVM's pool for {@code cidr}. */
    public static HostPool of(Cidr cidr) {
        HostPool pool = POOLS.get(cidr);
        return pool != null ? pool : POOLS.computeIfAbsent(cidr, HostPool::new);
    }

    /** Returns the block this pool leases from. */
    public Cidr cidr() {
        return cidr;
    }

    /**
     * Leases a host for {@code holder} (a space).
     *
     * @throws IllegalStateException if no address of the block could be leased, saying how many
     *     are held in this JVM and by how many spaces
     */
    public HostLease acquire(Object holder) {
        long attempts = Math.min(size, MAX_ATTEMPTS);
        long deadline = System.nanoTime() + EXHAUSTION_PATIENCE.toNanos();
        for (long pauseMillis = 1; ; pauseMillis = Math.min(2 * pauseMillis, 50)) {
            IOException lastFailure = null;
            for (long i = 0; i < attempts; i++) {
                int candidate = cidr.at((start + cursor.getAndIncrement()) % size);
                if (!cidr.leasable(candidate)) {
                    continue;
                }
                try {
                    HostLease lease = HostLease.acquire(candidate);
                    holders.merge(holder, 1, Integer::sum);
                    return lease;
                } catch (IOException heldElsewhere) {
                    lastFailure = heldElsewhere;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw exhausted(attempts, lastFailure);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
        }
    }

    /**
     * Leases exactly {@code address} for {@code holder} if it lies in the block, can be leased and
     * is free; otherwise returns null (no retry, no wait).
     */
    public HostLease tryAcquire(Object holder, InetAddress address) {
        if (!(address instanceof Inet4Address v4)) {
            return null;
        }
        int raw = Cidr.toInt(v4);
        if (!cidr.contains(raw) || !cidr.leasable(raw)) {
            return null;
        }
        try {
            HostLease lease = HostLease.acquire(raw);
            holders.merge(holder, 1, Integer::sum);
            return lease;
        } catch (IOException heldElsewhere) {
            return null;
        }
    }

    /** Returns {@code lease} to the block. */
    public void release(Object holder, HostLease lease) {
        lease.close();
        holders.computeIfPresent(holder, (h, n) -> n == 1 ? null : n - 1);
    }

    private IllegalStateException exhausted(long attempts, IOException lastFailure) {
        int heldHere = holders.values().stream().mapToInt(Integer::intValue).sum();
        return new IllegalStateException("address pool " + cidr + " is exhausted: none of the " + attempts
                + " addresses tried for " + EXHAUSTION_PATIENCE.toMillis() + " ms could be leased (last: " + (lastFailure == null ? "none leasable" : lastFailure.getMessage())
                + "). This JVM holds " + heldHere + " hosts of the pool in " + holders.size() + " live space(s);"
                + " the rest are held by other processes." + sentinelBlocker()
                + " Close spaces you no longer need, or use a larger pool (LoopbackSpace.builder().pool(...),"
                + " or loopback.pool with the JUnit extension).", lastFailure);
    }

    /**
     * Names a socket on the wildcard address that takes the sentinel port on every address, if
     * there is one: a listener with its process (from the socket tables), or else — found by binding
     * the sentinel port on two addresses outside the pool, which only a wildcard socket (or two
     * squatters) can block — a socket bound without listening, which no table lists.
     */
    private String sentinelBlocker() {
        int port = HostLease.SENTINEL_PORT;
        Optional<Listener> listener = SocketInspector.wildcardTcpListener(port);
        if (listener.isPresent()) {
            Listener l = listener.get();
            return " A wildcard listener on " + l.describe() + SocketInspector.owner(l).map(o -> ", held by " + o + ",").orElse("")
                    + " takes port " + port + " on every address, so no lease's sentinel can bind."
                    + " Stop that process or bind its socket to one address, then lease again.";
        }
        if (wildcardBoundWithoutListening()) {
            return " A socket bound to port " + port + " of the wildcard address (0.0.0.0:" + port + " or [::]:" + port
                    + ") without listening takes that port on every address, so no lease's sentinel can bind; such a"
                    + " socket is in no socket table, so its process cannot be named here (Linux 6.5+ lists it:"
                    + " ss -tanp state bound-inactive). Close it, then lease again.";
        }
        return "";
    }

    private boolean wildcardBoundWithoutListening() {
        int found = 0;
        // 127.255.255.254, 127.254.254.253, ...: spread over 127/8, so some lie outside any smaller pool
        for (int raw = 0x7FFFFFFE; found < 2 && raw > 0x7F000001; raw -= 0x010101) {
            if (!cidr.contains(raw) && cidr.leasable(raw)) {
                try {
                    HostLease.acquire(raw).close();
                    return false;
                } catch (IOException held) {
                    found++;
                }
            }
        }
        return found == 2;
    }
}
