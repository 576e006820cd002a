package dev.loopback.internal.udp;

import java.nio.ByteBuffer;

/** A datagram the link holds (delayed, frozen, queued): a private copy of its bytes. */
final class Datagram {

    final Flow flow;
    /** Arrival number in its flow, from 1; copies share it. */
    final long seq;
    final byte[] data;
    int length;

    private Datagram(Flow flow, long seq, byte[] data, int length) {
        this.flow = flow;
        this.seq = seq;
        this.data = data;
        this.length = length;
    }

    static Datagram copyOf(Flow flow, long seq, ByteBuffer source) {
        byte[] data = new byte[source.remaining()];
        source.get(data);
        return new Datagram(flow, seq, data, data.length);
    }

    Datagram copy() {
        return new Datagram(flow, seq, data.clone(), length);
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(data, 0, length);
    }
}
