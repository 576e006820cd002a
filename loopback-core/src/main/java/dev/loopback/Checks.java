package dev.loopback;

import java.time.Duration;
import java.util.Objects;

/** The checks fault values make where they are made; each failure names the value and the rule. */
final class Checks {

    private Checks() {}

    static double probability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " " + p + " is outside [0, 1]");
        }
        return p;
    }

    static long atLeast(String what, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " " + value + " must be >= " + min);
        }
        return value;
    }

    /**
     * Checks that {@code d} is not null, not negative (nor zero unless {@code zeroAllowed}) and at
     * most {@link Fault#MAX_DURATION}, so that no deadline computed from it can overflow.
     */
    static Duration duration(String what, Duration d, boolean zeroAllowed) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(what + " " + d + " must be " + (zeroAllowed ? ">= 0" : "> 0"));
        }
        if (d.compareTo(Fault.MAX_DURATION) > 0) {
            throw new IllegalArgumentException(what + " " + d + " exceeds the maximum of "
                    + Fault.MAX_DURATION.toDays() + " days (Fault.MAX_DURATION = " + Fault.MAX_DURATION + ")");
        }
        return d;
    }
}
