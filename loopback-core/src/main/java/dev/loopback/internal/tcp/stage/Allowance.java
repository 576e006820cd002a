package dev.loopback.internal.tcp.stage;

/**
 * What a pump may write now, narrowed by its stages: a number of bytes, or nothing until a time,
 * or nothing until the connection is reconsidered (hold), or the queued bytes discarded. Each
 * pump owns one and resets it before every write; stages narrow it through these methods only.
 * Loop thread only.
 */
public final class Allowance {

    private long bytes;
    private long wakeAt;
    private boolean hold;
    private boolean discard;

    /**
     * Starts a new decision: {@code due} bytes are due; if that is 0, more become due at
     * {@code nextDue} ({@link Stage#NEVER} if nothing is queued beyond).
     */
    public void reset(long due, long nextDue) {
        bytes = due;
        wakeAt = due > 0 ? Stage.NEVER : nextDue;
        hold = false;
        discard = false;
    }

    /** At most {@code max} bytes now. */
    public void limit(long max) {
        if (max < bytes) {
            bytes = Math.max(0, max);
        }
    }

    /** Nothing now; try again at {@code deadline} (of several, the latest wins: none may be missed). */
    public void waitUntil(long deadline) {
        bytes = 0;
        if (wakeAt == Stage.NEVER || deadline - wakeAt > 0) {
            wakeAt = deadline;
        }
    }

    /** Nothing until the connection is reconsidered (its faults change or the link heals). */
    public void hold() {
        bytes = 0;
        hold = true;
    }

    /** Drop what is queued instead of writing it. */
    public void discard() {
        discard = true;
    }

    public long bytes() {
        return bytes;
    }

    /** When to try again if {@link #bytes()} is 0 and nothing holds: {@link Stage#NEVER} for "when something happens". */
    public long wakeAt() {
        return hold ? Stage.NEVER : wakeAt;
    }

    public boolean discards() {
        return discard;
    }
}
