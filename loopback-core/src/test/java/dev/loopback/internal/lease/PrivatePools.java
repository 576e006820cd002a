package dev.loopback.internal.lease;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Small address pools for tests that need to exhaust or share a pool: a random aligned block inside
 * {@code 127.192.0.0/11}, away from the default pool ({@code 127.64.0.0/10}) and from
 * {@code 127.0.0.0/16}, so parallel tests (and concurrent builds) do not collide.
 */
public final class PrivatePools {

    private static final int BASE = 0x7FC00000; // 127.192.0.0/11

    private PrivatePools() {}

    /** Returns a random block with {@code prefix} (24..32) as CIDR text, for example {@code 127.201.7.8/29}. */
    public static String random(int prefix) {
        int hostBits = 32 - prefix;
        int offset = ThreadLocalRandom.current().nextInt(1 << 21) & (-1 << hostBits);
        return Cidr.format(BASE | offset) + "/" + prefix;
    }
}
