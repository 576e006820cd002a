package dev.loopback.testing.udp;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Numbered, checksummed test datagrams: {@code [int stream][long seq][random bytes][long CRC32 of the rest]}. */
public final class Datagrams {

    /** The smallest datagram: header and checksum. */
    public static final int MIN_SIZE = 20;

    private Datagrams() {}

    /** Returns a datagram of {@code size} bytes (at least {@link #MIN_SIZE}) carrying {@code stream} and {@code seq}. */
    public static byte[] numbered(int stream, long seq, int size, SplittableRandom random) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("size " + size + " < " + MIN_SIZE);
        }
        byte[] data = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(data);
        b.putInt(stream).putLong(seq);
        for (int i = 12; i < size - 8; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        b.putLong(size - 8, crc(data, size - 8));
        return data;
    }

    /** Returns true if the checksum of {@code data} matches its content. */
    public static boolean intact(byte[] data) {
        return data.length >= MIN_SIZE && ByteBuffer.wrap(data).getLong(data.length - 8) == crc(data, data.length - 8);
    }

    /** Returns the stream number of a numbered datagram. */
    public static int stream(byte[] data) {
        return ByteBuffer.wrap(data).getInt(0);
    }

    /** Returns the sequence number of a numbered datagram. */
    public static long seq(byte[] data) {
        return ByteBuffer.wrap(data).getLong(4);
    }

    /** Returns a small datagram carrying just {@code seq} (8 bytes). */
    public static byte[] seqOnly(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    /** Reads the sequence number of a {@link #seqOnly(long)} datagram. */
    public static long seqOf(byte[] data) {
        return ByteBuffer.wrap(data).getLong(0);
    }

    private static long crc(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return crc.getValue();
    }
}
