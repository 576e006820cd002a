package dev.loopback.examples.catalogue;

import dev.loopback.examples.catalogue.Measurement.Case;
import dev.loopback.examples.catalogue.Measurement.Subject;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One client's row of {@code docs/catalogue.md}: each subclass starts the client's server for the
 * class, configures the client as the scenarios do (timeouts of about a second) and opens it
 * afresh for every fault. Rows run in parallel, the faults of a row one after another (a row's
 * measurements should not compete with each other for the machine).
 * {@code ./mvnw -q -pl loopback-examples -am package exec:java -DskipTests -Dexec.args=--catalogue}
 * runs the rows alone and rewrites the file.
 */
abstract class CatalogueRow {

    /** The client's label: what it is and the library versions, see {@link #label(String, Class...)}. */
    abstract String client();

    /** The faults to measure: {@link Measurement#TCP} or {@link Measurement#UDP}. */
    abstract List<Case> cases();

    /** Opens the client, connected through a link of its own where the server allows it. */
    abstract Subject open() throws Exception;

    /**
     * The faults this client was measured not to recover from within 10 s of their removal; the
     * row asserts that they still do not, so a fixed client shows up as a failing row.
     */
    Set<String> doesNotRecoverFrom() {
        return Set.of();
    }

    @TestFactory
    @Execution(ExecutionMode.SAME_THREAD)
    Stream<DynamicTest> underEachFault(TestReporter reporter) {
        return Measurement.of(client(), cases(), doesNotRecoverFrom(), this::open, reporter);
    }

    /** Returns {@code what (artifact version, …)} for the jars holding {@code libraries}. */
    static String label(String what, Class<?>... libraries) {
        StringBuilder label = new StringBuilder(what).append(" (");
        for (int i = 0; i < libraries.length; i++) {
            label.append(i == 0 ? "" : ", ").append(Versions.of(libraries[i]));
        }
        return label.append(')').toString();
    }
}
