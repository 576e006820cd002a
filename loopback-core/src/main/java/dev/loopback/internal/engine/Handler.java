package dev.loopback.internal.engine;

/** Reacts to the readiness of a channel registered with an {@link EventLoop}. Loop thread only. */
public interface Handler {

    /**
     * Called with the key's ready operations. An I/O failure of the handler's own channel is the
     * handler's to handle; anything else it throws goes to {@link #failed(Throwable)}.
     */
    void ready(int readyOps);

    /**
     * Called when {@link #ready(int)} threw {@code error} — a bug: the owner resets what the
     * handler serves (a connection, a client mapping) and reports it. Must not throw.
     */
    void failed(Throwable error);
}
