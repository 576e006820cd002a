package dev.loopback.junit.internal;

import dev.loopback.LoopbackSpace;
import dev.loopback.junit.LeakMode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * Where the extension keeps its state: each context's {@link SpaceScope} in that context's store
 * (keyed by the context's unique id, so a lookup never finds a parent's), and the run-wide
 * settings and seed in the root store.
 */
public final class Scopes {

    private static final System.Logger LOG = System.getLogger(Scopes.class.getName());
    private static final Namespace NAMESPACE = Namespace.create("dev.loopback.junit");
    private static final String CONFIGURATION = "configuration";
    private static final String RUN_SEED = "run-seed";

    private Scopes() {}

    /** Returns the scope of {@code context}, opening it with {@code opener} on first use. */
    public static SpaceScope computeIfAbsent(ExtensionContext context, Supplier<SpaceScope> opener) {
        return compute(context.getStore(NAMESPACE), context.getUniqueId(), opener, SpaceScope.class);
    }

    /** Returns the scope of {@code context} itself (not of a parent), or null if it has none. */
    public static SpaceScope find(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(context.getUniqueId(), SpaceScope.class);
    }

    /**
     * Returns the {@code loopback.*} configuration parameters, parsed once per run; unknown
     * {@code loopback.} keys are reported then, once, as a warning and a report entry
     * ({@code loopback.unknown.setting}) of the context that first asked.
     */
    public static Settings configuration(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return compute(root.getStore(NAMESPACE), CONFIGURATION, () -> {
            Settings settings = Settings.fromConfiguration(root::getConfigurationParameter);
            for (String unknown : UnknownSettings.find()) {
                LOG.log(System.Logger.Level.WARNING, unknown);
                context.publishReportEntry("loopback.unknown.setting", unknown);
            }
            return settings;
        }, Settings.class);
    }

    /** Returns the run's random seed, drawn once per run. */
    public static long runSeed(ExtensionContext context) {
        return compute(context.getRoot().getStore(NAMESPACE), RUN_SEED,
                () -> ThreadLocalRandom.current().nextLong(), Long.class);
    }

    /**
     * Creates the scope of {@code context} (the constructor stays package-private); its life for the
     * wildcard leak check starts now.
     */
    public static SpaceScope newScope(LoopbackSpace space, long runSeed, LeakMode leaks, Duration grace,
            String aliasHint, ExtensionContext context) {
        String type = context.getRequiredTestClass().getSimpleName();
        String name = context.getTestMethod().map(m -> type + "." + m.getName() + "()").orElse("class " + type);
        return new SpaceScope(space, runSeed, leaks, grace, aliasHint, context.getUniqueId(), name);
    }

    // getOrComputeIfAbsent exists in JUnit 5.13+ and 6; 6 deprecates it for computeIfAbsent, which 5.x lacks.
    @SuppressWarnings("deprecation")
    private static <V> V compute(Store store, String key, Supplier<V> creator, Class<V> type) {
        return store.getOrComputeIfAbsent(key, k -> creator.get(), type);
    }
}
