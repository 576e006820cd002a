package dev.loopback.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPoolTest {

    @Test
    void handsOutLeastRecentlyUsedHostFirst() {
        HostPool pool = HostPool.of(Cidr.parse(PrivatePools.random(29)));
        Object holder = new Object();
        List<InetAddress> order = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            HostLease lease = pool.acquire(holder);
            order.add(lease.address());
            pool.release(holder, lease);
        }

        assertThat(order.subList(0, 8)).doesNotHaveDuplicates();
        assertThat(order.subList(8, 16)).isEqualTo(order.subList(0, 8));
    }

    @Test
    void exhaustedPoolSaysHowManyHostsThisJvmHoldsInHowManySpaces() {
        HostPool pool = HostPool.of(Cidr.parse(PrivatePools.random(30)));
        Object first = new Object();
        Object second = new Object();
        List<HostLease> leases = new ArrayList<>(List.of(pool.acquire(first), pool.acquire(first)));
        leases.add(pool.acquire(second));
        leases.add(pool.acquire(second));
        try {
            assertThatIllegalStateException()
                    .isThrownBy(() -> pool.acquire(second))
                    .withMessageContaining("address pool " + pool.cidr() + " is exhausted")
                    .withMessageContaining("none of the 4 addresses tried could be leased")
                    .withMessageContaining("Address already in use")
                    .withMessageContaining("This JVM holds 4 hosts of the pool in 2 live space(s)");
        } finally {
            leases.forEach(lease -> pool.release(lease == leases.get(0) || lease == leases.get(1) ? first : second, lease));
        }
        HostLease again = pool.acquire(first);
        pool.release(first, again);
    }
}
