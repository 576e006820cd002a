package dev.loopback;

import java.time.Duration;

/** How fault values print: like the calls that made them, {@code latency(50ms).jitter(10ms).toClient()}. */
final class FaultText {

    private FaultText() {}

    /**
     * Returns {@code call} followed by the refinements {@code scope} differs from the default in.
     * With {@code probabilityInCall} the probability is part of the call ({@code loss(0.05)}) and
     * not repeated.
     */
    static String of(String call, FaultScope scope, boolean probabilityInCall) {
        StringBuilder s = new StringBuilder(call);
        switch (scope.direction()) {
            case TO_SERVER -> s.append(".toServer()");
            case TO_CLIENT -> s.append(".toClient()");
            case BOTH -> {
                // the default
            }
        }
        if (!probabilityInCall && scope.probability() != 1) {
            s.append(".probability(").append(scope.probability()).append(')');
        }
        if (scope.afterBytes() != 0) {
            s.append(".afterBytes(").append(scope.afterBytes()).append(')');
        }
        if (!scope.after().isZero()) {
            s.append(".after(").append(duration(scope.after())).append(')');
        }
        if (scope.onConnection() != 0) {
            s.append(".onConnection(").append(scope.onConnection()).append(')');
        }
        return s.toString();
    }

    /** {@code 2s}, {@code 50ms}, {@code 1500us} or {@code 7ns}: the largest unit that is exact. */
    static String duration(Duration d) {
        if (d.toNanosPart() == 0) {
            return d.toSeconds() + "s";
        }
        long nanos = d.toNanos(); // at most Fault.MAX_DURATION: fits
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        return nanos % 1000 == 0 ? nanos / 1000 + "us" : nanos + "ns";
    }
}
