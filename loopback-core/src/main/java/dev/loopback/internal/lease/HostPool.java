package dev.loopback.internal.lease;

import dev.loopback.inspect.SocketInspector;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out {@link HostLease}s from one address block, shared by every space in the JVM that uses
 * the block.
 *
 * <p>Candidates come from a cursor that cycles through the block from a random starting point, so
 * the next host offered is the one offered longest ago (least recently used) and two JVMs rarely
 * probe the same addresses. A candidate is taken only if its sentinel binds; one held by anyone
 * else is skipped. No lock is taken: the cursor is an atomic counter and the kernel arbitrates.
 */
public final class HostPool {

    private static final ConcurrentHashMap<Cidr, HostPool> POOLS = new ConcurrentHashMap<>();
    private static final long MAX_ATTEMPTS = 1 << 16;

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
        throw exhausted(attempts, lastFailure);
    }

    /** Returns {@code lease} to the block. */
    public void release(Object holder, HostLease lease) {
        lease.close();
        holders.computeIfPresent(holder, (h, n) -> n == 1 ? null : n - 1);
    }

    private IllegalStateException exhausted(long attempts, IOException lastFailure) {
        int heldHere = holders.values().stream().mapToInt(Integer::intValue).sum();
        String squatter = SocketInspector.wildcardTcpListener(HostLease.SENTINEL_PORT)
                .map(l -> " A wildcard listener on " + l.hostPort() + " blocks every lease's sentinel port"
                        + SocketInspector.owner(l).map(o -> " (" + o + ")").orElse("") + ".")
                .orElse("");
        return new IllegalStateException("address pool " + cidr + " is exhausted: none of the " + attempts
                + " addresses tried could be leased (last: " + (lastFailure == null ? "none leasable" : lastFailure.getMessage())
                + "). This JVM holds " + heldHere + " hosts of the pool in " + holders.size() + " live space(s);"
                + " the rest are held by other processes." + squatter
                + " Close spaces you no longer need, or configure a larger pool (loopback.pool).", lastFailure);
    }
}
