package dev.loopback;

/**
 * The injection of one {@link Fault} into one link. Removing it ends the fault's effect at once
 * on live connections (a frozen stream resumes, held data is delivered); removing it twice is a
 * no-op. Closing the handle removes the fault, so a fault can be scoped with try-with-resources.
 */
public interface FaultHandle extends AutoCloseable {

    /**
     * Returns the injected fault.
     *
     * @return the fault as it was injected
     */
    Fault fault();

    /**
     * Returns true until the fault is removed, cleared, or its link is closed.
     *
     * @return true while the fault acts on its link
     */
    boolean isActive();

    /** Removes the fault from its link; idempotent. Never blocks on data in flight. */
    void remove();

    /** Same as {@link #remove()}. */
    @Override
    default void close() {
        remove();
    }
}
