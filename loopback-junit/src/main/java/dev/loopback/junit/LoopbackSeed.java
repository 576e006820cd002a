package dev.loopback.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fixes the run seed of the annotated test method or class (and its {@code @Nested} classes),
 * overriding the extension's builder and the {@code loopback.seed} configuration parameter. The
 * nearest annotation wins: method, then class, then enclosing classes.
 *
 * <p><b>Run seed and space seeds.</b> A run has one seed — random unless set here, by the builder
 * or by {@code loopback.seed}. Each space the extension opens derives its own seed from the run
 * seed and the unique id of its test (or class), so tests do not share random decisions and each
 * can be replayed alone: when a test fails, its report names the run seed as the annotation to
 * paste, for example {@code @LoopbackSeed(-4962768465676381896L)}, and applying it to that test
 * reproduces the same link decisions whatever else runs.
 *
 * <p>The derivation is stable across versions and platforms:
 * {@code spaceSeed = mix(runSeed ^ mix(fnv1a64(id)))}, where {@code id} is the JUnit unique id of the
 * test or class with any segments up to and including its last {@code [engine:…]} segment removed
 * (so the same test has the same id whether run alone, by its class, or inside a suite),
 * {@code fnv1a64} is the 64-bit FNV-1a hash of the id's UTF-8 bytes and {@code mix} is the
 * SplitMix64 finalizer. The space seed is printed too, for a space opened by hand with
 * {@code LoopbackSpace.builder().seed(spaceSeed)}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface LoopbackSeed {

    /**
     * The run seed, as printed in a failing test's report.
     *
     * @return the seed
     */
    long value();
}
