package dev.loopback.internal.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the JDK's own cache of lookups answers for a name. The cache sits above every resolver:
 * a successful lookup is kept for {@code networkaddress.cache.ttl} (30 s by default) and a failed
 * one for {@code networkaddress.cache.negative.ttl} (10 s), with no public way to evict an entry.
 * A name whose owner changed within those times can still get the old answer.
 */
public final class JdkCache {

    private JdkCache() {}

    /**
     * Resolves {@code name} as any caller would and returns null if the JDK answers exactly
     * {@code expected}, otherwise a sentence saying what it still answers from its cache and why.
     */
    public static String staleAnswer(String name, InetAddress expected) {
        try {
            InetAddress[] found = InetAddress.getAllByName(name);
            if (found.length == 1 && found[0].equals(expected)) {
                return null;
            }
            String addresses = Arrays.stream(found).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
            return "the JDK still resolves '" + name + "' to " + addresses + " from its cache: a lookup of it"
                    + " succeeded less than " + positiveTtl() + " ago, before this space held the name";
        } catch (UnknownHostException e) {
            return "the JDK still answers '" + name + "' as unknown from its cache of failed lookups: a lookup of it"
                    + " failed less than " + negativeTtl() + " ago, before this space held the name";
        }
    }

    /** The JDK's time to keep a successful lookup, as configured, for messages. */
    public static String positiveTtl() {
        return ttl("networkaddress.cache.ttl", "sun.net.inetaddr.ttl", "30");
    }

    /** The JDK's time to keep a failed lookup, as configured, for messages. */
    public static String negativeTtl() {
        return ttl("networkaddress.cache.negative.ttl", "sun.net.inetaddr.negative.ttl", "10");
    }

    // As sun.net.InetAddressCachePolicy reads them: the security property, else the system property.
    private static String ttl(String securityProperty, String systemProperty, String jdkDefault) {
        String value = Security.getProperty(securityProperty);
        String source = "security property " + securityProperty;
        if (value == null) {
            value = System.getProperty(systemProperty);
            source = "system property " + systemProperty;
        }
        if (value == null) {
            return jdkDefault + " s (" + securityProperty + ", the JDK's default)";
        }
        return value.trim() + " s (" + source + ")";
    }
}
