package dev.loopback.internal.lease;

import dev.loopback.LoopbackSpace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for {@link HostLeaseAcrossJvmsTest}. Prints {@code READY}, waits for a line on stdin,
 * then, depending on the mode:
 *
 * <ul>
 *   <li>{@code churn <pool> <millis>}: opens spaces of 3 hosts over and over for {@code millis},
 *       holding each for up to a millisecond, and prints {@code HELD <host> <acquired> <released>}
 *       per host with {@link System#nanoTime()} stamps (CLOCK_MONOTONIC on Linux, one clock for
 *       every process of the machine), then {@code DONE <spaces>};
 *   <li>{@code hold <pool> <hosts>}: leases {@code hosts} hosts, prints {@code HELD <host>} for each,
 *       and waits for stdin to close (the parent kills it instead).
 * </ul>
 */
public final class LeaseChild {

    private LeaseChild() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String pool = args[1];
        System.out.println("READY");
        System.out.flush();
        in.readLine();
        if (args[0].equals("churn")) {
            churn(pool, Long.parseLong(args[2]));
        } else {
            hold(pool, Integer.parseInt(args[2]), in);
        }
    }

    private static void churn(String pool, long millis) {
        StringBuilder out = new StringBuilder();
        long end = System.nanoTime() + millis * 1_000_000;
        int spaces = 0;
        long[] acquired = new long[3];
        InetAddress[] hosts = new InetAddress[3];
        while (System.nanoTime() < end) {
            try (LoopbackSpace space = LoopbackSpace.builder().pool(pool).open()) {
                for (int i = 0; i < hosts.length; i++) {
                    hosts[i] = space.host("h" + i);
                    acquired[i] = System.nanoTime();
                }
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000));
                long released = System.nanoTime();
                for (int i = 0; i < hosts.length; i++) {
                    out.append("HELD ").append(hosts[i].getHostAddress()).append(' ').append(acquired[i])
                            .append(' ').append(released).append('\n');
                }
            }
            spaces++;
        }
        System.out.print(out);
        System.out.println("DONE " + spaces);
        System.out.flush();
    }

    private static void hold(String pool, int count, BufferedReader in) throws Exception {
        LoopbackSpace space = LoopbackSpace.builder().pool(pool).open();
        for (int i = 0; i < count; i++) {
            System.out.println("HELD " + space.host("h" + i).getHostAddress());
        }
        System.out.flush();
        in.readLine(); // never returns normally: the parent kills this JVM while it holds the hosts
        space.close();
    }
}
