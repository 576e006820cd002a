package dev.loopback.internal.engine;

import java.nio.ByteBuffer;

/**
 * A pooled direct buffer of {@link #CAPACITY} bytes holding bytes waiting in a link, with the time
 * they may be released. Taken from and returned to its {@link EventLoop}.
 */
public final class Chunk {

    /** Capacity of every chunk. */
    public static final int CAPACITY = 64 * 1024;

    /** The bytes: position to limit is what is still to be written. */
    public final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY);
    /** {@link System#nanoTime()} before which the chunk must not be written. */
    public long releaseAt;
    /** True if a slice fault cuts this chunk into segments. */
    public boolean sliced;
}
