package dev.loopback.junit;

import dev.loopback.Cluster;
import dev.loopback.LoopbackSpace;
import dev.loopback.LoopbackUnavailableException;
import dev.loopback.PlatformPolicy;
import dev.loopback.junit.internal.Declaration;
import dev.loopback.junit.internal.FailureReport;
import dev.loopback.junit.internal.Registrations;
import dev.loopback.junit.internal.Scopes;
import dev.loopback.junit.internal.SeedDerivation;
import dev.loopback.junit.internal.Settings;
import dev.loopback.junit.internal.SpaceScope;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.jspecify.annotations.Nullable;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit Jupiter extension of Loopback: gives each test (and each class) a
 * {@link LoopbackSpace} of its own, injects {@link LoopbackAddress} fields and parameters from it,
 * and after the test closes it and checks that nothing the test started still listens on its
 * hosts or, opened by this JVM during the test, on the wildcard address.
 *
 * <p><b>Registration.</b> None is needed: {@link LoopbackAddress} registers the extension wherever it
 * is used (on a field: for the whole class; on a parameter: for that method). {@code @LoopbackTest}
 * or {@code @ExtendWith(LoopbackExtension.class)} registers it for the class, which an unannotated
 * {@code LoopbackSpace} parameter needs. Options in code come from a static {@code @RegisterExtension}
 * field built by {@link #builder()}; with it, the other registrations are still one extension, the
 * builder's. (An instance {@code @RegisterExtension} field's options apply to the tests only: JUnit
 * registers it per test instance, so the class space is opened with the configuration parameters.)
 * Two {@code @RegisterExtension} fields are rejected.
 *
 * <p><b>Lifecycle.</b> Before the class, the extension checks every {@code @LoopbackAddress} of the
 * class, opens the class's space and injects static fields; before each test it opens the test's
 * space and injects instance fields (of the test instance and, for {@code @Nested} tests, of the
 * enclosing instances). Parameters are resolved from the space of the context they are resolved
 * in (see {@link LoopbackAddress} for scopes). After each test (after {@code @AfterEach} methods)
 * and after the class (after {@code @AfterAll} methods) it closes the space's links and listeners,
 * runs the leak check ({@link LeakMode}; {@link LoopbackLeaks}), then gives the hosts back. The
 * space is also registered in the JUnit store as a backstop, but closing never depends on the store,
 * so {@code junit.jupiter.extensions.store.close.autocloseable.enabled=false} changes nothing.
 *
 * <p><b>Failures.</b> When a test or a lifecycle method fails, the failure gets a suppressed
 * exception naming the seeds, the annotation that replays the test ({@link LoopbackSeed}) and each
 * link's statistics and latest events; the same goes into report entries
 * ({@code loopback.replay}, {@code loopback.run.seed}, {@code loopback.test.space.seed},
 * {@code loopback.test.link.<name>}, {@code loopback.class.<Name>.space.seed}, …). A failure caused
 * by a {@link java.net.BindException} also names the other processes that hold ports of the test's
 * hosts ({@code loopback.address.in.use}): a lease keeps other Loopback tests off a host, not other
 * programs.
 *
 * <p><b>Platforms.</b> Where loopback addresses beyond {@code 127.0.0.1} cannot be bound, the
 * {@code skip} policy aborts the tests (reported as skipped), {@code fail} fails them naming the
 * alias command, and {@code fallback} runs them on {@code 127.0.0.1} with kernel-assigned ports;
 * a fixed {@link LoopbackAddress#port()} is then rejected.
 *
 * <p>The extension keeps no global lock: each space is confined to its test or class, settings
 * and the run seed are computed once per run.
 */
public final class LoopbackExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final System.Logger LOG = System.getLogger(LoopbackExtension.class.getName());

    private final Settings options;

    /** Creates the extension with settings from configuration parameters and annotations only. */
    public LoopbackExtension() {
        this(Settings.NONE);
    }

    private LoopbackExtension(Settings options) {
        this.options = options;
    }

    /**
     * Returns a builder for an extension with options in code, for {@code @RegisterExtension}.
     *
     * @return a new builder; an option it does not set comes from configuration parameters and annotations, as without it
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!acts(context)) {
            return;
        }
        Class<?> testClass = context.getRequiredTestClass();
        SpaceScope scope = scope(context);
        validate(testClass, scope);
        injectFields(testClass, null, scope, ModifierSupport::isStatic);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!acts(context)) {
            return;
        }
        SpaceScope scope = scope(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance.getClass(), instance, scope, ModifierSupport::isNotStatic);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (acts(context)) {
            finish(context, "the test");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (acts(context)) {
            finish(context, "the class");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return (Declaration.applies(parameterContext.getParameter())
                || parameterContext.isAnnotated(LoopbackCluster.class)) && acts(extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        if (parameter.isAnnotationPresent(LoopbackCluster.class)) {
            return cluster(scope(extensionContext), parameter.getAnnotation(LoopbackCluster.class), parameter.getType(),
                    "parameter " + parameter.getName() + " of " + parameter.getDeclaringExecutable().getName());
        }
        Declaration declaration = Declaration.of(parameterContext.getParameter(), parameterContext.getIndex());
        return scope(extensionContext).resolve(declaration);
    }

    /**
     * Resolves constructor parameters in the test method's context, so that they belong to the
     * test's space (under {@code @TestInstance(PER_CLASS)} there is no test yet: the class's).
     */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw report(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw report(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw report(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw report(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw report(context, throwable);
    }

    // ---------------------------------------------------------------- internals

    /**
     * Returns true if this instance is the one that acts in {@code context}. {@code @LoopbackAddress}
     * registers the extension by its class, so a test that also registers an instance with options
     * ({@code @RegisterExtension}) has two: that one acts, the other stands aside, whichever JUnit
     * registered first. Two in code are a configuration error.
     */
    private boolean acts(ExtensionContext context) {
        List<Registrations.InCode> inCode = Registrations.find(context, LoopbackExtension.class);
        if (inCode.size() > 1) {
            throw new ExtensionConfigurationException("LoopbackExtension is registered with @RegisterExtension "
                    + inCode.size() + " times, in " + inCode.stream().map(Registrations.InCode::name).toList()
                    + "; register it once: its options apply to the class, its @Nested classes and their tests");
        }
        return inCode.isEmpty() || inCode.get(0).extension() == this;
    }

    private SpaceScope scope(ExtensionContext context) {
        return Scopes.computeIfAbsent(context, () -> open(context));
    }

    private SpaceScope open(ExtensionContext context) {
        Settings settings = options.orElse(Scopes.configuration(context));
        Optional<LoopbackSeed> seedAnnotation = nearest(context, LoopbackSeed.class);
        long runSeed = seedAnnotation.map(LoopbackSeed::value)
                .orElseGet(() -> settings.seed() != null ? settings.seed() : Scopes.runSeed(context));
        Optional<LoopbackLeaks> leaksAnnotation = nearest(context, LoopbackLeaks.class);
        LeakMode leaks = leaksAnnotation.map(LoopbackLeaks::value).orElseGet(settings::effectiveLeaks);
        Duration grace = leaksAnnotation.filter(a -> !a.grace().isEmpty())
                .map(a -> Settings.grace("@LoopbackLeaks(grace) on " + context.getDisplayName(), a.grace()))
                .orElseGet(settings::effectiveGrace);
        long spaceSeed = SeedDerivation.spaceSeed(runSeed, context.getUniqueId());
        LoopbackSpace space;
        try {
            space = settings.spaceBuilder(spaceSeed).open();
        } catch (LoopbackUnavailableException e) {
            if (e.policy() == PlatformPolicy.SKIP) {
                throw new TestAbortedException(e.getMessage(), e);
            }
            throw e;
        }
        String aliasHint = "set " + LoopbackSettings.PLATFORM + "=fail to get the command that aliases the pool "
                + settings.effectivePool() + " so that its addresses can be bound";
        return Scopes.newScope(space, runSeed, leaks, grace, aliasHint, context);
    }

    private static <A extends Annotation> Optional<A> nearest(ExtensionContext context,
            Class<A> type) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<A> found = AnnotationSupport.findAnnotation(c.get().getElement(), type);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static void validate(Class<?> testClass, SpaceScope scope) {
        boolean fallback = scope.space().isFallback();
        String hint = scope.aliasHint();
        for (Field field : AnnotationSupport.findAnnotatedFields(testClass, LoopbackAddress.class, f -> true)) {
            Declaration.of(field).checkPlatform(fallback, hint);
        }
        for (Method method : ReflectionSupport.findMethods(testClass, m -> m.getParameterCount() > 0,
                HierarchyTraversalMode.TOP_DOWN)) {
            validateParameters(method, fallback, hint);
        }
        for (Constructor<?> constructor : testClass.getDeclaredConstructors()) {
            validateParameters(constructor, fallback, hint);
        }
    }

    private static void validateParameters(Executable executable, boolean fallback, String hint) {
        Parameter[] parameters = executable.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (Declaration.applies(parameters[i])) {
                Declaration.of(parameters[i], i).checkPlatform(fallback, hint);
            }
        }
    }

    private static void injectFields(Class<?> type, @Nullable Object target, SpaceScope scope, Predicate<Field> which) {
        for (Field field : AnnotationSupport.findAnnotatedFields(type, LoopbackAddress.class, which)) {
            Declaration declaration = Declaration.of(field);
            set(field, target, scope.resolve(declaration), "@LoopbackAddress " + declaration.element());
        }
        for (Field field : AnnotationSupport.findAnnotatedFields(type, LoopbackCluster.class, which)) {
            String element = "field " + field.getDeclaringClass().getSimpleName() + "." + field.getName();
            set(field, target, cluster(scope, field.getAnnotation(LoopbackCluster.class), field.getType(), element),
                    "@LoopbackCluster " + element);
        }
    }

    private static void set(Field field, @Nullable Object target, Object value, String declaration) {
        try {
            field.setAccessible(true);
            field.set(target, value);
        } catch (InaccessibleObjectException | IllegalAccessException e) {
            throw new ExtensionConfigurationException(declaration
                    + " cannot be set: " + e.getMessage() + ". On the module path, open the test package to"
                    + " this extension in the test module's module-info: opens "
                    + field.getDeclaringClass().getPackageName() + " to dev.loopback.junit;", e);
        }
    }

    private static Cluster cluster(SpaceScope scope, LoopbackCluster declaration, Class<?> type, String element) {
        if (type != Cluster.class) {
            throw new ExtensionConfigurationException("@LoopbackCluster " + element + " has type " + type.getName()
                    + "; it injects a dev.loopback.Cluster only");
        }
        try {
            return scope.cluster(List.of(declaration.value()), declaration.ports());
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@LoopbackCluster " + element + ": " + e.getMessage(), e);
        }
    }

    private static void finish(ExtensionContext context, String after) {
        SpaceScope scope = Scopes.find(context);
        if (scope != null) {
            scope.finish(after, (key, warning) -> {
                context.publishReportEntry(key, warning);
                LOG.log(System.Logger.Level.WARNING, context.getUniqueId() + ": " + warning);
            });
        }
    }

    private Throwable report(ExtensionContext context, Throwable throwable) {
        if (throwable instanceof TestAbortedException || !acts(context)) {
            return throwable;
        }
        for (Throwable suppressed : throwable.getSuppressed()) {
            if (suppressed instanceof FailureReport.LoopbackReplay) {
                return throwable;
            }
        }
        Map<String, SpaceScope> scopes = new LinkedHashMap<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            SpaceScope scope = Scopes.find(c.get());
            if (scope != null) {
                scopes.put(c.get().getTestMethod().isPresent() ? "test"
                        : "class " + c.get().getRequiredTestClass().getSimpleName(), scope);
            }
        }
        if (!scopes.isEmpty()) {
            String failed = context.getRequiredTestClass().getSimpleName()
                    + context.getTestMethod().map(m -> "." + m.getName()).orElse("");
            FailureReport report = new FailureReport(context.getTestMethod().isPresent() ? failed : "class " + failed,
                    scopes, throwable);
            context.publishReportEntry(report.entries());
            System.out.println(report.text()); // Surefire puts a test's output in its XML report, not its entries
            throwable.addSuppressed(report.exception());
        }
        return throwable;
    }

    /**
     * Options of an extension registered with {@code @RegisterExtension}. Each overrides the
     * corresponding configuration parameter ({@link LoopbackSettings}); annotations override it.
     */
    public static final class Builder {
        private Settings options = Settings.NONE;

        private Builder() {}

        /**
         * Leases hosts from {@code cidr} ({@link LoopbackSettings#POOL}).
         *
         * @param cidr a block inside {@code 127.0.0.0/8}, for example {@code 127.64.0.0/16}
         * @return this builder
         * @throws IllegalArgumentException if {@code cidr} is not a block inside {@code 127.0.0.0/8}
         */
        public Builder pool(String cidr) {
            LoopbackSpace.builder().pool(cidr);
            options = with(cidr, null, null, null, null, null, null);
            return this;
        }

        /**
         * Sets the platform policy ({@link LoopbackSettings#PLATFORM}).
         *
         * @param policy the policy, not null
         * @return this builder
         */
        public Builder platformPolicy(PlatformPolicy policy) {
            options = with(null, Objects.requireNonNull(policy, "policy"), null, null, null, null, null);
            return this;
        }

        /**
         * Sets the leak check ({@link LoopbackSettings#LEAKS}).
         *
         * @param mode the leak check's mode, not null
         * @return this builder
         */
        public Builder leaks(LeakMode mode) {
            options = with(null, null, Objects.requireNonNull(mode, "mode"), null, null, null, null);
            return this;
        }

        /**
         * Sets how long the leak check waits for servers that close asynchronously
         * ({@link LoopbackSettings#LEAKS_GRACE}).
         *
         * @param grace the wait, zero up to 5 minutes
         * @return this builder
         * @throws IllegalArgumentException if {@code grace} is negative or longer than 5 minutes
         */
        public Builder leakGrace(Duration grace) {
            if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("leak grace " + grace + " is outside 0 .. 5 minutes");
            }
            options = with(null, null, null, grace, null, null, null);
            return this;
        }

        /**
         * Fixes the run seed ({@link LoopbackSettings#SEED}; see {@link LoopbackSeed}).
         *
         * @param seed the seed every test's space derives its own from
         * @return this builder
         */
        public Builder seed(long seed) {
            options = with(null, null, null, null, seed, null, null);
            return this;
        }

        /**
         * Sets the bound of bytes a link buffers per direction ({@link LoopbackSettings#LINK_BUFFER}).
         *
         * @param bytes the bound per direction, in 1 KiB .. 64 MiB
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is outside 1 KiB .. 64 MiB
         */
        public Builder linkBufferBytes(int bytes) {
            LoopbackSpace.builder().linkBufferBytes(bytes);
            options = with(null, null, null, null, null, bytes, null);
            return this;
        }

        /**
         * Overrides the platform probe (see {@link LoopbackSpace.Builder#assumeLoopbackAliases}),
         * to try the platform policies on a platform that does not need them.
         *
         * @param available whether to assume that loopback addresses beyond 127.0.0.1 can be bound
         * @return this builder
         */
        public Builder assumeLoopbackAliases(boolean available) {
            options = with(null, null, null, null, null, null, available);
            return this;
        }

        /**
         * Returns the extension.
         *
         * @return a new extension with this builder's options; later changes to the builder do not reach it
         */
        public LoopbackExtension build() {
            return new LoopbackExtension(options);
        }

        private Settings with(@Nullable String pool, @Nullable PlatformPolicy policy, @Nullable LeakMode leaks,
                @Nullable Duration grace, @Nullable Long seed, @Nullable Integer linkBuffer, @Nullable Boolean aliases) {
            return new Settings(pool, policy, leaks, grace, seed, linkBuffer, aliases).orElse(options);
        }
    }
}
