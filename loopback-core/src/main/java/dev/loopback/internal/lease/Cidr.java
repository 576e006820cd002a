package dev.loopback.internal.lease;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A block of loopback addresses in CIDR form ({@code 127.64.0.0/10}), inside {@code 127.0.0.0/8}.
 *
 * @param text the block in canonical form ({@code 127.64.0.0/10}, no leading zeros)
 * @param network the first address, as an unsigned 32-bit int
 * @param prefix the prefix length, 8..32
 */
public record Cidr(String text, int network, int prefix) {

    private static final Pattern FORM = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");
    private static final int LOCALHOST = 0x7F000001;

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the value if it is not {@code a.b.c.d/n}, lies outside
     *     {@code 127.0.0.0/8}, or has host bits set
     */
    public static Cidr parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("address pool '" + text
                    + "' is not an IPv4 CIDR block such as 127.64.0.0/10");
        }
        int slash = text.indexOf('/');
        int prefix = Integer.parseInt(text.substring(slash + 1));
        int address = 0;
        for (String octet : text.substring(0, slash).split("\\.", -1)) {
            int value = Integer.parseInt(octet);
            if (value > 255) {
                throw new IllegalArgumentException("address pool '" + text + "' has octet " + value
                        + " outside 0..255");
            }
            address = (address << 8) | value;
        }
        if (prefix > 32) {
            throw new IllegalArgumentException("address pool '" + text + "' has prefix /" + prefix
                    + "; allowed /8 to /32");
        }
        if ((address >>> 24) != 127 || prefix < 8) {
            throw new IllegalArgumentException("address pool '" + text
                    + "' is outside 127.0.0.0/8; a pool must be a loopback block such as 127.64.0.0/10");
        }
        int mask = -1 << (32 - prefix);
        if ((address & ~mask) != 0) {
            throw new IllegalArgumentException("address pool '" + text + "' has host bits set; did you mean "
                    + format(address & mask) + "/" + prefix + "?");
        }
        Cidr cidr = new Cidr(format(address) + "/" + prefix, address, prefix);
        if (cidr.firstLeasable() == -1) {
            throw new IllegalArgumentException("address pool '" + text + "' has no address that can be leased"
                    + " (127.0.0.1 and addresses ending in .0 or .255 never are); use a block such as 127.64.0.0/10");
        }
        return cidr;
    }

    /** Returns the number of addresses in the block. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /** Returns the address at {@code offset} ({@code 0 <= offset < size()}) from the start of the block. */
    public int at(long offset) {
        return network + (int) offset;
    }

    /**
     * Returns true if {@code address} may be leased: not {@code 127.0.0.1}, and not ending in
     * {@code .255} or {@code .0}. The JDK refuses to bind an IPv4 socket to {@code 127.*.*.255} on
     * Linux (as a loopback broadcast address; only a dual-stack socket gets through), so an IPv4-only
     * server — NIO's {@code INET} channels, {@code -Djava.net.preferIPv4Stack=true} — could not
     * listen there; {@code .0} reads as a network address to many tools.
     */
    public boolean leasable(int address) {
        int last = address & 0xFF;
        return address != LOCALHOST && last != 0 && last != 255;
    }

    /** Returns the first leasable address of the block, or -1 if it has none ({@code 127.0.0.1/32}). */
    public int firstLeasable() {
        for (long i = 0; i < Math.min(size(), 3); i++) {
            if (leasable(at(i))) {
                return at(i);
            }
        }
        return -1;
    }

    /** Returns true if {@code address} lies in the block. */
    public boolean contains(int address) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (address & mask) == network;
    }

    /** Returns {@code address} as an int, the form {@link #at(long)} returns. */
    public static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** Returns {@code address} as an {@link InetAddress}. */
    public static Inet4Address toInet(int address) {
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Returns {@code address} in dotted form, {@code 127.64.3.9}. */
    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    @Override
    public String toString() {
        return text;
    }
}
