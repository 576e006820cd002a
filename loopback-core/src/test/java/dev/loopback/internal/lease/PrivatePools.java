package dev.loopback.internal.lease;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Small address pools for tests that need to exhaust or share a pool: a random aligned block inside
 * {@code 127.192.0.0/11}, away from the default pool ({@code 127.64.0.0/10}) and from
 * {@code 127.0.0.0/16}, so parallel tests (and concurrent builds) do not collide. The block never
 * holds an address ending in {@code .0} or {@code .255}, so every address of it can be leased.
 */
public final class PrivatePools {

    private static final int BASE = 0x7FC00000; // 127.192.0.0/11

    private PrivatePools() {}

    /** Returns a random block with {@code prefix} (26..32) as CIDR text, for example {@code 127.201.7.8/29}. */
    public static String random(int prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int size = 1 << (32 - prefix);
        int slot = 1 + random.nextInt(256 / size - 2); // neither the first nor the last block of the /24
        return Cidr.format(BASE | random.nextInt(1 << 13) << 8 | slot * size) + "/" + prefix;
    }
}
