package dev.loopback.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets the leak check of the annotated test method or class (and its {@code @Nested} classes),
 * overriding the extension's builder and the {@code loopback.leaks} and
 * {@code loopback.leaks.grace} configuration parameters. The nearest annotation wins: method,
 * then class, then enclosing classes.
 *
 * <pre>{@code
 * @LoopbackLeaks(value = LeakMode.FAIL, grace = "5 s")   // a server that takes its time to stop
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface LoopbackLeaks {

    /**
     * What to do about a socket still listening on the space's hosts after the test.
     *
     * @return the leak mode for the annotated class or method
     */
    LeakMode value();

    /**
     * How long to wait for servers that close asynchronously before deciding they leaked, in the
     * format of {@link LoopbackSettings#LEAKS_GRACE}; empty keeps the inherited setting.
     *
     * @return the grace, for example {@code 500 ms}, or empty to keep the inherited setting
     */
    String grace() default "";
}
