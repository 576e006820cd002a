package dev.loopback.internal.lease;

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

    private static final ConcurrentHashMap<String, HostPool> POOLS = new ConcurrentHashMap<>();
    private static final long MAX_ATTEMPTS = 1 << 16;

    private final Cidr cidr;
    private final long size;
    private final long start;
    private final AtomicLong cursor = new AtomicLong();
    private final ConcurrentHashMap<Object, Integer> holders = new ConcurrentHashMap<>();

    private HostPool(Cidr cidr) {
        this.cidr = cidr;
        this.size = cidr.size();
        this.start = ThreadLocalRandom.current().nextLong(size);
    }

    /** Returns the JVM's pool for {@code cidr}. */
    public static HostPool of(Cidr cidr) {
        return POOLS.computeIfAbsent(cidr.text(), k -> new HostPool(cidr));
    }

    /** Returns the block this pool leases from. */
    public Cidr cidr() {
        return cidr;
    }

    /**
     * Leases a host for {@code holder} (a space).
     *
     * @throws IllegalStateException if every leasable address of the block is held, saying how many
     *     are held here and by how many spaces
     */
    public HostLease acquire(Object holder) {
        long attempts = Math.min(size, MAX_ATTEMPTS);
        for (long i = 0; i < attempts; i++) {
            int candidate = cidr.at((start + cursor.getAndIncrement()) % size);
            if (!cidr.leasable(candidate)) {
                continue;
            }
            HostLease lease = HostLease.tryAcquire(candidate);
            if (lease != null) {
                holders.merge(holder, 1, Integer::sum);
                return lease;
            }
        }
        int heldHere = holders.values().stream().mapToInt(Integer::intValue).sum();
        throw new IllegalStateException("address pool " + cidr + " is exhausted: none of the " + attempts
                + " addresses tried could be leased; " + heldHere + " hosts are held by " + holders.size()
                + " live spaces in this JVM, the rest by other processes (or cannot be bound). "
                + "Close spaces you no longer need, or configure a larger pool (loopback.pool).");
    }

    /** Returns {@code lease} to the block. */
    public void release(Object holder, HostLease lease) {
        lease.close();
        holders.computeIfPresent(holder, (h, n) -> n == 1 ? null : n - 1);
    }
}
