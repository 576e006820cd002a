package dev.loopback.testing.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Random payloads and their SHA-256 digests. */
public final class Payloads {

    private Payloads() {}

    public static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** Reads {@code in} to EOF and returns the SHA-256 of what was read and how many bytes. */
    public static String sha256(InputStream in, long[] count) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            d.update(buf, 0, n);
            total += n;
        }
        count[0] = total;
        return HexFormat.of().formatHex(d.digest());
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
