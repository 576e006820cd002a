package dev.loopback;

/**
 * Thrown when a space cannot be opened because the platform cannot bind loopback addresses beyond
 * {@code 127.0.0.1} and the {@link PlatformPolicy} is {@link PlatformPolicy#SKIP SKIP} or
 * {@link PlatformPolicy#FAIL FAIL}. The message names the alias command that makes the platform
 * usable.
 */
public final class LoopbackUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The policy that decided to throw. */
    private final PlatformPolicy policy;

    /**
     * Creates the exception.
     *
     * @param policy the policy in force, {@code SKIP} or {@code FAIL}
     * @param message what is missing and how to fix it
     */
    public LoopbackUnavailableException(PlatformPolicy policy, String message) {
        super(message);
        this.policy = policy;
    }

    /**
     * Returns the policy in force: {@code SKIP} means callers should skip rather than fail.
     *
     * @return the policy that made the space throw instead of falling back
     */
    public PlatformPolicy policy() {
        return policy;
    }
}
