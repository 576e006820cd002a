package dev.loopback.testing.process;

import dev.loopback.LoopbackSpace;

/**
 * Run by {@code LeaseDenialTest} in a network namespace of its own (so that no lease of any other
 * process on the machine stops the squatter): starts a {@link Squatter} on the wildcard's sentinel
 * port as {@code args[1]} ({@link SquatterProcess.As}) in mode {@code args[0]}, then tries to lease
 * a host and prints {@code SQUATTER <pid>} and {@code MESSAGE <the exhaustion message>}.
 */
public final class LeaseDenialProbe {

    private LeaseDenialProbe() {}

    public static void main(String[] args) throws Exception {
        SquatterProcess.As as = SquatterProcess.As.valueOf(args[1]);
        try (SquatterProcess squatter = args[0].equals("listen")
                ? SquatterProcess.listen(as, "0.0.0.0", 65535) : SquatterProcess.bind(as, "0.0.0.0", 65535)) {
            System.out.println("SQUATTER " + (squatter.bound() ? squatter.pid() : squatter.outcome()));
            try (LoopbackSpace space = LoopbackSpace.builder().pool("127.77.0.0/29").open()) {
                System.out.println("LEASED " + space.host("a").getHostAddress());
            } catch (IllegalStateException e) {
                System.out.println("MESSAGE " + e.getMessage());
            }
        }
    }
}
