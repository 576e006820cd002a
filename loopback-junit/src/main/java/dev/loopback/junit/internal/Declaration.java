package dev.loopback.junit.internal;

import dev.loopback.Endpoint;
import dev.loopback.HostNames;
import dev.loopback.LoopbackSpace;
import dev.loopback.junit.LoopbackAddress;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One {@code @LoopbackAddress} field or parameter (or an unannotated {@code LoopbackSpace}
 * parameter): what it asks for, checked against the rules.
 */
public final class Declaration {

    static final List<Class<?>> SUPPORTED = List.of(Endpoint.class, InetSocketAddress.class, InetAddress.class,
            URI.class, String.class, int.class, Integer.class, ServerSocketChannel.class, ServerSocket.class,
            LoopbackSpace.class);
    /** The types that can carry a host name instead of the literal address. */
    private static final List<Class<?>> NAMEABLE = List.of(URI.class, String.class, Endpoint.class,
            InetSocketAddress.class, InetAddress.class);
    private static final String SUPPORTED_NAMES = SUPPORTED.stream().map(Class::getSimpleName)
            .collect(Collectors.joining(", "));
    private static final int SENTINEL_PORT = 65535;

    private final String element;
    private final String unnamedHost;
    private final Class<?> type;
    private final String host;
    private final int port;
    private final String scheme;
    private final boolean named;

    private Declaration(String element, String unnamedHost, Class<?> type, LoopbackAddress annotation,
            boolean finalField) {
        this.element = element;
        this.unnamedHost = unnamedHost;
        this.type = type;
        if (finalField) {
            throw reject("is final, so the extension cannot inject it; remove 'final'");
        }
        if (!SUPPORTED.contains(type)) {
            throw reject("has type " + type.getName() + ", which @LoopbackAddress cannot inject; supported types: "
                    + SUPPORTED_NAMES);
        }
        if (annotation == null) {
            this.host = "";
            this.port = 0;
            this.scheme = "";
            this.named = false;
            return;
        }
        String value = annotation.value();
        String hostAttribute = annotation.host();
        if (!value.isEmpty() && !hostAttribute.isEmpty() && !value.equals(hostAttribute)) {
            throw reject("sets value = \"" + value + "\" and host = \"" + hostAttribute
                    + "\"; they are the same attribute (the host name), so set one of them");
        }
        this.host = value.isEmpty() ? hostAttribute : value;
        this.port = annotation.port();
        this.scheme = annotation.scheme();
        this.named = annotation.named();
        if (type == LoopbackSpace.class && (!host.isEmpty() || port != 0 || !scheme.isEmpty() || named)) {
            throw reject("is a LoopbackSpace, the whole space; host, port, scheme and named have no meaning for it");
        }
        if (!host.isEmpty() && (host.isBlank() || host.startsWith("link:") || host.startsWith("("))) {
            throw reject("names host \"" + host + "\"; a host name must not be blank or start with 'link:'"
                    + " (reserved for the hosts of links) or '(' (reserved for the hosts of unnamed declarations)");
        }
        if (port < 0 || port >= SENTINEL_PORT) {
            throw reject("asks for port " + port + "; allowed: 1..65534 (65535 holds the host's lease), or 0"
                    + " (the default) for a kernel-assigned port");
        }
        if ((type == InetAddress.class || type == String.class) && port != 0) {
            throw reject("is " + (type == String.class ? "a String" : "an InetAddress") + " (a host without a port),"
                    + " so port = " + port + " has no meaning; inject an Endpoint or InetSocketAddress to get a port");
        }
        if (named) {
            checkNamed();
        }
        if (!scheme.isEmpty()) {
            if (type != URI.class) {
                throw reject("sets scheme = \"" + scheme + "\", which only a URI has; its type is "
                        + type.getSimpleName());
            }
            try {
                new Endpoint(InetAddress.getLoopbackAddress(), 1).uri(scheme);
            } catch (IllegalArgumentException e) {
                throw reject("sets a bad scheme: " + e.getMessage());
            }
        }
    }

    private void checkNamed() {
        if (!NAMEABLE.contains(type)) {
            throw reject("sets named = true, which only a URI, String, Endpoint, InetSocketAddress or InetAddress can"
                    + " carry; its type is " + type.getSimpleName());
        }
        if (!isLabel(host)) {
            throw reject("sets named = true " + (host.isEmpty() ? "without a host name" : "with host \"" + host + "\"")
                    + "; a named host needs a name that is one DNS label, such as value = \"db\""
                    + " (it becomes db.<space>." + HostNames.DOMAIN + ")");
        }
        HostNames.unavailableReason().ifPresent(reason -> {
            throw reject("sets named = true, but host names do not resolve in this JVM: " + reason);
        });
    }

    /** One DNS label, checked the way an endpoint checks its host name. */
    private static boolean isLabel(String host) {
        if (host.isEmpty() || host.contains(".")) {
            return false;
        }
        try {
            new Endpoint(InetAddress.getLoopbackAddress(), 1, host + ".s1." + HostNames.DOMAIN);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads and checks an annotated field. */
    public static Declaration of(Field field) {
        String name = field.getDeclaringClass().getSimpleName() + "." + field.getName();
        return new Declaration("field '" + name + "'", "(" + name + ")", field.getType(),
                field.getAnnotation(LoopbackAddress.class), Modifier.isFinal(field.getModifiers()));
    }

    /**
     * Reads and checks a parameter; it may lack the annotation only if it is a {@code LoopbackSpace}.
     * Without {@code javac -parameters} a parameter has no name of its own ({@code arg0}): it is then
     * called by its position, {@code parameter 3}, counting from 1.
     */
    public static Declaration of(Parameter parameter, int index) {
        Executable executable = parameter.getDeclaringExecutable();
        String owner = executable.getDeclaringClass().getSimpleName();
        String method = executable instanceof Constructor<?> ? owner : owner + "." + executable.getName();
        String signature = Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", method + "(", ")"));
        String name = parameter.isNamePresent() ? "'" + parameter.getName() + "'" : Integer.toString(index + 1);
        boolean overloaded = Arrays.stream(executable.getDeclaringClass().getDeclaredMethods())
                .filter(m -> m.getName().equals(executable.getName())).count() > 1;
        return new Declaration("parameter " + name + " of " + signature,
                "(parameter " + name + " of " + (overloaded ? signature : method) + ")",
                parameter.getType(), parameter.getAnnotation(LoopbackAddress.class), false);
    }

    /** Returns true if {@code parameter} is one the extension resolves. */
    public static boolean applies(Parameter parameter) {
        return parameter.isAnnotationPresent(LoopbackAddress.class) || parameter.getType() == LoopbackSpace.class;
    }

    /** Rejects a fixed port where the space fell back to 127.0.0.1. */
    public void checkPlatform(boolean fallback, String aliasHint) {
        if (fallback && port != 0) {
            throw reject("asks for fixed port " + port + ", but this platform cannot bind loopback addresses beyond"
                    + " 127.0.0.1 and the platform policy is 'fallback', where only kernel-assigned ports are safe"
                    + " (other processes share every port of 127.0.0.1). Drop the port, or " + aliasHint);
        }
    }

    /** Returns a description such as {@code field 'ServerTest.web'}. */
    public String element() {
        return element;
    }

    /** Returns the declared type. */
    public Class<?> type() {
        return type;
    }

    /**
     * Returns the host name asked for or, if none was, one of the declaration's own that names it:
     * {@code (OrderTest.db)}, {@code (parameter 'web' of OrderTest.retries)}.
     */
    public String hostName() {
        return host.isEmpty() ? unnamedHost : host;
    }

    /** Returns the port asked for; 0 for kernel-assigned. */
    public int port() {
        return port;
    }

    /** Returns true if the value carries the host's name instead of its literal address. */
    public boolean named() {
        return named;
    }

    /** Returns the URI scheme, {@code http} if none was given. */
    public String scheme() {
        return scheme.isEmpty() ? "http" : scheme;
    }

    private ExtensionConfigurationException reject(String rule) {
        return new ExtensionConfigurationException("@LoopbackAddress " + element + " " + rule);
    }
}
