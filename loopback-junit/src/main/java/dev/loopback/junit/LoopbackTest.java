package dev.loopback.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers the {@link LoopbackExtension} on a test class: shorthand for
 * {@code @ExtendWith(LoopbackExtension.class)}. Settings come from the {@code loopback.*}
 * configuration parameters ({@link LoopbackSettings}), {@link LoopbackSeed} and
 * {@link LoopbackLeaks}; to set them in code, register the extension with
 * {@code @RegisterExtension} and {@link LoopbackExtension#builder()} instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(LoopbackExtension.class)
public @interface LoopbackTest {}
