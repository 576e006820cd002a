package dev.loopback.internal.inspect;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Writes addresses as the literals people read and tools accept. */
public final class Literals {

    private Literals() {}

    /**
     * Returns {@code host:port} with a literal address: {@code 127.64.3.9:8080}, and for IPv6 the
     * RFC 5952 form in brackets, {@code [::]:8080} or {@code [::1]:8080}.
     */
    public static String hostPort(InetAddress address, int port) {
        return host(address) + ":" + port;
    }

    /** Returns the literal address for a URI or {@code host:port}: IPv6 in brackets, RFC 5952 form. */
    public static String host(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int end = i;
            while (end < 8 && words[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = Math.max(i, end);
        }
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.charAt(text.length() - 1) != ':' && text.length() > 1) {
                text.append(':');
            }
            text.append(Integer.toHexString(words[i]));
        }
        return text.append(']').toString();
    }
}
