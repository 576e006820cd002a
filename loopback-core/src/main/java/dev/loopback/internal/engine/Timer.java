package dev.loopback.internal.engine;

/**
 * A deadline on an {@link EventLoop}: {@link EventLoop#schedule} arms it, {@link EventLoop#cancel}
 * disarms it, and the loop runs {@link #fire()} once the deadline has passed, never earlier. A
 * timer is armed at most once at a time; re-arming moves it. Loop thread only.
 */
public abstract class Timer {

    long deadline;
    long order;
    int index = -1;

    /** Returns true while armed. */
    public final boolean isArmed() {
        return index >= 0;
    }

    /** Returns the deadline in {@link System#nanoTime()} units; meaningful while armed. */
    public final long deadline() {
        return deadline;
    }

    /** Runs on the loop thread once the deadline has passed. */
    protected abstract void fire();

    /**
     * Called when {@link #fire()} threw {@code error} — a bug. By default the loop logs it; the
     * timers of a connection override this to reset the connection. Must not throw.
     */
    protected void failed(Throwable error) {
        EventLoop.logUnexpected("timer", error);
    }

    /** Returns a timer that runs {@code action}; a failure is logged. */
    public static Timer of(Runnable action) {
        return new Timer() {
            @Override
            protected void fire() {
                action.run();
            }
        };
    }

    /** Returns a timer that runs {@code action} and hands anything it throws to {@code onFailure}. */
    public static Timer of(Runnable action, java.util.function.Consumer<Throwable> onFailure) {
        return new Timer() {
            @Override
            protected void fire() {
                action.run();
            }

            @Override
            protected void failed(Throwable error) {
                onFailure.accept(error);
            }
        };
    }
}
