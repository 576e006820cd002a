package dev.loopback.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects an address of the test's {@link dev.loopback.LoopbackSpace} into a field or parameter,
 * the way {@code @TempDir} injects a directory. Like {@code @TempDir} it needs no registration: it
 * registers the {@link LoopbackExtension} itself ({@code @LoopbackTest} on the class, or a
 * {@code @RegisterExtension} field with options, may be there too; it is still one extension).
 *
 * <p><b>Types.</b> The annotated element may be an {@link dev.loopback.Endpoint},
 * {@link java.net.InetSocketAddress}, {@link java.net.InetAddress} (the host alone), {@link String} (the
 * host alone, as text: {@code 127.64.3.9}, or its name with {@link #named()}), {@link java.net.URI}
 * ({@code scheme://host:port}, see {@link #scheme()}), {@code int} or {@link Integer} (the port), a
 * {@link java.nio.channels.ServerSocketChannel} or {@link java.net.ServerSocket} already bound to the
 * endpoint (no race at all), or the {@link dev.loopback.LoopbackSpace} itself (parameters of that type
 * need no annotation).
 *
 * <p><b>Hosts and endpoints.</b> Declarations without a host name get a host each. Declarations
 * with the same host name share the host; those that also ask for the same port share the endpoint
 * — so {@code @LoopbackAddress("web") Endpoint} and {@code @LoopbackAddress(value = "web", scheme =
 * "http") URI} name the same server, and a {@code ServerSocketChannel} declared with that name is
 * bound exactly there.
 *
 * <p><b>Host names</b> (JDK 18+). With {@link #named()}, a {@code URI}, {@code String},
 * {@code Endpoint}, {@code InetSocketAddress} or {@code InetAddress} carries the host's name,
 * unique to the test's space ({@code db.s7.loopback.test}, from
 * {@link dev.loopback.LoopbackSpace#hostName(String)}), instead of the literal address; every
 * client in the JVM resolves it to the host until the space closes.
 *
 * <p><b>Scope.</b> A static field and a parameter of a {@code @BeforeAll} or {@code @AfterAll}
 * method (or of the constructor under {@code @TestInstance(PER_CLASS)}) belong to the class: one
 * space for the class, open until after its last test. Everything else belongs to the test method:
 * a fresh space per test, closed and leak-checked after it. Host names are per space, so a
 * method-scoped {@code "db"} and a class-scoped {@code "db"} are different hosts. {@code @Nested}
 * classes see their enclosing class's class-scoped values (its static fields stay valid during the
 * nested tests) and may declare their own.
 *
 * <p><b>Rejections.</b> The extension fails the class with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the element and
 * the rule for: a final field, an unsupported type, {@link #value()} and {@link #host()} set to
 * different names, an attribute that means nothing for the type (a port for an {@code InetAddress},
 * a scheme for anything but a {@code URI}, any attribute for a {@code LoopbackSpace}, {@code named}
 * for a port or a listener), a port outside {@code 0..65534}, a fixed port where the platform fell
 * back to {@code 127.0.0.1}, and {@code named} without a host name that is one DNS label, or where
 * host names do not resolve (JDK 17: the message names the JDK they need).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(LoopbackExtension.class)
public @interface LoopbackAddress {

    /**
     * The host name (alias of {@link #host()}); empty for a host of the declaration's own.
     *
     * @return the host's name in the space, or empty for a host of the annotated declaration's own
     */
    String value() default "";

    /**
     * The host name (alias of {@link #value()}); empty for a host of the declaration's own.
     *
     * @return the host's name in the space, or empty for a host of the annotated declaration's own
     */
    String host() default "";

    /**
     * A fixed port, for example {@code 8080}: every parallel test can use the same one, each on its
     * own host. {@code 0} (the default) asks the kernel for a free port.
     *
     * @return the port, in {@code 0..65535}
     */
    int port() default 0;

    /**
     * The scheme of an injected {@link java.net.URI}; empty means {@code http}. Only for {@code URI}.
     *
     * @return the URI scheme, or empty for {@code http}
     */
    String scheme() default "";

    /**
     * Carries the host's name ({@code db.s7.loopback.test}) instead of its literal address, in a
     * {@code URI}, {@code String}, {@code Endpoint}, {@code InetSocketAddress} or
     * {@code InetAddress}. Needs a host name that is one DNS label ({@code value = "db"}) and
     * JDK 18 or newer.
     *
     * @return true to inject the host name rather than the literal address
     */
    boolean named() default false;
}
