package dev.loopback.internal.udp;

import dev.loopback.UdpLink;
import dev.loopback.internal.LinkSetup;

/** Opens UDP links. */
public final class UdpLinks {

    private UdpLinks() {}

    /** Opens a UDP link receiving on a kernel-assigned port of {@code setup.host()}. */
    public static UdpLink open(LinkSetup setup) {
        throw new UnsupportedOperationException("UDP links are not implemented yet");
    }
}
