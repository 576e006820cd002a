package dev.loopback.cli;

import dev.loopback.Endpoint;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A {@code HOST:PORT} from the command line ({@code 127.0.0.1:5432}, {@code localhost:80}, {@code [::1]:80}). */
record Address(String text, InetAddress address, int port) {

    /** Parses {@code HOST:PORT}; the host is resolved at once. */
    static Address parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("bad address '" + text + "': expected HOST:PORT, as in 127.0.0.1:5432");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad port in '" + text + "': expected 0..65535");
        }
        try {
            return new Address(text, InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address '" + text + "': unknown host '" + host + "'");
        }
    }

    /** Returns this address, refusing one that is not a loopback address (the CLI never listens elsewhere). */
    Address requireLoopback(String option) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(option + " " + text + " is not a loopback address (127.0.0.0/8 or [::1]):"
                    + " loopback listens on this machine only");
        }
        return this;
    }

    /** Returns this address, refusing one that is not an IPv4 loopback address (where links listen). */
    Address requireIpv4Loopback(String option) {
        if (address.isLoopbackAddress() && !(address instanceof Inet4Address)) {
            throw new IllegalArgumentException(option + " " + text + " is an IPv6 address: a link listens on an IPv4"
                    + " loopback address (127.0.0.0/8)");
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(option + " " + text + " is not a loopback address: a link listens on an"
                    + " IPv4 loopback address (127.0.0.0/8) only" + (address.isAnyLocalAddress()
                            ? " (the wildcard 0.0.0.0 or [::] is reachable from other machines)" : ""));
        }
        return this;
    }

    Endpoint endpoint() {
        return new Endpoint(address, port);
    }
}
