package dev.loopback.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.StringJoiner;

/** Prints the public value records of the library (stats, connections) as {@code name=value} words. */
final class Records {

    private Records() {}

    static String words(String prefix, Record value) {
        StringJoiner s = new StringJoiner(" ", prefix + " ", "");
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            try {
                s.add(c.getName() + "=" + c.getAccessor().invoke(value));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c, e);
            }
        }
        return s.toString();
    }
}
