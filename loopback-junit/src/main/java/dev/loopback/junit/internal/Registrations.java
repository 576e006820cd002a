package dev.loopback.junit.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Finds the extensions of a type that a test registers in code, with {@code @RegisterExtension}:
 * the static fields of the context's test class and of its enclosing test classes, and the instance
 * fields of the test instances that exist in the context.
 */
public final class Registrations {

    /** A {@code @RegisterExtension} field and the extension it holds. */
    public record InCode(Field field, Object extension) {

        /** Returns the field as {@code OrderTest.LOOPBACK}. */
        public String name() {
            return field.getDeclaringClass().getSimpleName() + "." + field.getName();
        }
    }

    private Registrations() {}

    /** Returns the extensions of {@code type} registered in code that apply in {@code context}. */
    public static List<InCode> find(ExtensionContext context, Class<?> type) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            c.get().getTestClass().ifPresent(classes::add);
        }
        List<InCode> found = new ArrayList<>();
        for (Class<?> testClass : classes) {
            collect(testClass, null, ModifierSupport::isStatic, type, found);
        }
        context.getTestInstances().ifPresent(instances -> instances.getAllInstances().forEach(
                instance -> collect(instance.getClass(), instance, ModifierSupport::isNotStatic, type, found)));
        return found;
    }

    private static void collect(Class<?> testClass, Object instance, Predicate<Field> which, Class<?> type,
            List<InCode> found) {
        for (Field field : AnnotationSupport.findAnnotatedFields(testClass, RegisterExtension.class, which)) {
            ReflectionSupport.tryToReadFieldValue(field, instance).toOptional()
                    .filter(type::isInstance)
                    .map(value -> new InCode(field, value))
                    .filter(inCode -> !found.contains(inCode))
                    .ifPresent(found::add);
        }
    }
}
