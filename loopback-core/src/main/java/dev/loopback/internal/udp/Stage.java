package dev.loopback.internal.udp;

/** A step of the datagram pipeline a held datagram goes on to. Loop thread only. */
interface Stage {

    void accept(Datagram datagram, long now);
}
