package dev.loopback.internal.names;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host names of every live space of the JVM: name to address for forward lookups, address to
 * name for reverse ones. Written only when a space registers or releases a name; read by the
 * resolver on every lookup that misses the JDK's cache, so reads are one map lookup and take no lock.
 *
 * <p>Names are stored in lower case without a trailing dot, as DNS compares them. Two kinds:
 * <ul>
 *   <li><b>space names</b> under {@value #DOMAIN} ({@code db.s7.loopback.test}): the space id is
 *       never reused within the JVM, so such a name belongs to one space for the JVM's lifetime;
 *   <li><b>exclusive names</b> (a bare {@code db}, {@code payments.internal}): held by at most
 *       one live space at a time, and free again when it closes.
 * </ul>
 * A name under {@value #DOMAIN} that is not registered is known to be nobody's: the resolver
 * answers it as unknown at once instead of asking the system resolver.
 */
public final class NameTable {

    /** The domain of space names; {@code .test} is reserved for testing by RFC 6761. */
    public static final String DOMAIN = "loopback.test";
    private static final String DOT_DOMAIN = "." + DOMAIN;

    private static final Map<String, Entry> BY_NAME = new ConcurrentHashMap<>();
    private static final Map<InetAddress, Entry> BY_ADDRESS = new ConcurrentHashMap<>();
    /** The address each exclusive name had last, so a later space can lease it again (see {@link #lastAddress}). */
    private static final Map<String, InetAddress> LAST = new ConcurrentHashMap<>();

    private NameTable() {}

    /** One registered name: the address it resolves to and the space (any object) that holds it. */
    public record Entry(String name, InetAddress address, Object owner, boolean reverse) {}

    /**
     * Registers {@code name} for {@code address}, held by {@code owner}. With {@code reverse}, a
     * reverse lookup of {@code address} gives {@code name} (the latest such registration wins).
     *
     * @return the entry already holding the name for another owner, or null if it is now registered
     */
    public static synchronized Entry register(String name, InetAddress address, Object owner, boolean reverse) {
        String key = normalize(name);
        Entry held = BY_NAME.get(key);
        if (held != null) {
            return held.owner() == owner && held.address().equals(address) ? null : held;
        }
        Entry entry = new Entry(key, address, owner, reverse);
        BY_NAME.put(key, entry);
        if (!isSpaceDomain(key)) {
            LAST.put(key, address);
        }
        if (reverse) {
            BY_ADDRESS.put(address, entry);
        }
        return null;
    }

    /** Removes {@code name} if {@code owner} holds it. */
    public static synchronized void unregister(String name, Object owner) {
        Entry entry = BY_NAME.get(normalize(name));
        if (entry != null && entry.owner() == owner) {
            remove(entry);
        }
    }

    /** Removes every name {@code owner} holds; returns them. */
    public static synchronized List<String> releaseAll(Object owner) {
        List<String> released = new ArrayList<>();
        for (Entry entry : List.copyOf(BY_NAME.values())) {
            if (entry.owner() == owner) {
                remove(entry);
                released.add(entry.name());
            }
        }
        return released;
    }

    /**
     * Returns the address the exclusive name {@code name} was last registered for, or null. The
     * JDK may still hold that answer in its cache, so leasing the same address again keeps the
     * cached answer right.
     */
    public static InetAddress lastAddress(String name) {
        return LAST.get(normalize(name));
    }

    /** Returns the address registered for {@code host}, or null. */
    public static InetAddress address(String host) {
        if (BY_NAME.isEmpty()) {
            return null;
        }
        Entry entry = BY_NAME.get(normalize(host));
        return entry == null ? null : entry.address();
    }

    /** Returns the name a reverse lookup of {@code address} gives, or null. */
    public static String name(byte[] address) {
        if (BY_ADDRESS.isEmpty() || address.length != 4) {
            return null;
        }
        try {
            Entry entry = BY_ADDRESS.get(Inet4Address.getByAddress(address));
            return entry == null ? null : entry.name();
        } catch (java.net.UnknownHostException impossible) {
            return null; // four bytes are always an IPv4 address
        }
    }

    /** Returns true if {@code host} lies in {@value #DOMAIN}, where only registered names exist. */
    public static boolean isSpaceDomain(String host) {
        String key = normalize(host);
        return key.endsWith(DOT_DOMAIN) || key.equals(DOMAIN);
    }

    /** Lower case, without one trailing dot. Returns {@code host} itself when it already is. */
    static String normalize(String host) {
        String key = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return key.toLowerCase(Locale.ROOT);
    }

    private static void remove(Entry entry) {
        BY_NAME.remove(entry.name(), entry);
        if (entry.reverse()) {
            BY_ADDRESS.remove(entry.address(), entry);
            // another live name of the same address (a space name under an exclusive one) answers reverse lookups again
            for (Entry other : BY_NAME.values()) {
                if (other.reverse() && other.address().equals(entry.address())) {
                    BY_ADDRESS.putIfAbsent(other.address(), other);
                }
            }
        }
    }
}
