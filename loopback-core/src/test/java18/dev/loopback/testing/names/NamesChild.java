package dev.loopback.testing.names;

import dev.loopback.HostNames;
import dev.loopback.LoopbackSpace;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A JVM of its own for what one JVM's settings decide: the module path, and a JDK cache setting.
 * Prints one line: what it observed. (Not in package dev.loopback: on the module path that package
 * belongs to module dev.loopback.core, so a class of it on the class path would never load.)
 */
public final class NamesChild {

    private NamesChild() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "reason" -> System.out.println(HostNames.unavailableReason().orElse("available"));
            case "lookup-after-close" -> {
                String name;
                try (LoopbackSpace space = LoopbackSpace.open()) {
                    name = space.hostName("db");
                    InetAddress.getByName(name); // cached by the JDK unless its ttl is 0
                }
                try {
                    System.out.println("still resolves to " + InetAddress.getByName(name).getHostAddress());
                } catch (UnknownHostException e) {
                    System.out.println("unknown: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
