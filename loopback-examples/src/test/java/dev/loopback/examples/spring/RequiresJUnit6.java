package dev.loopback.examples.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Skips a Spring Boot 4 test class, with its reason, where the JUnit Platform is older than 6:
 * Spring Framework 7's {@code SpringExtension} requires JUnit Jupiter 6. The build's {@code -Pjunit5}
 * leg runs JUnit 5.14, so these classes show there as skipped, never as silently absent.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(value = "dev.loopback.examples.spring.RequiresJUnit6$JUnitLine#isSixOrLater",
        disabledReason = "Spring Boot 4 (Spring Framework 7) requires JUnit Jupiter 6; this run uses JUnit 5")
public @interface RequiresJUnit6 {

    /** Tells which JUnit line runs the tests, from the Jupiter API jar's manifest. */
    final class JUnitLine {
        private JUnitLine() {}

        /** Returns true if JUnit Jupiter 6 or later runs the tests. */
        static boolean isSixOrLater() {
            String version = Test.class.getPackage().getImplementationVersion();
            return version != null && Integer.parseInt(version.substring(0, version.indexOf('.'))) >= 6;
        }
    }
}
