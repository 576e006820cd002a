package dev.loopback.internal.engine;

/** Reacts to the readiness of a channel registered with an {@link EventLoop}. Loop thread only. */
public interface Handler {

    /** Called with the key's ready operations; must not throw for an I/O failure of its own channel. */
    void ready(int readyOps);
}
