package dev.loopback.internal.access;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@code loopback-junit} (and core's own tests) may do to a space beyond its public API. The
 * package is exported only to {@code dev.loopback.junit}; {@link LoopbackSpace} registers the one
 * implementation when its class initializes, so nothing outside this library can call these through
 * the public API.
 */
public abstract class SpaceAccess {

    private static volatile @Nullable SpaceAccess instance;

    /** Called once, by {@link LoopbackSpace}'s static initializer. */
    protected SpaceAccess() {}

    /**
     * Registers the implementation.
     *
     * @param access the implementation, which {@link LoopbackSpace} registers once
     * @throws IllegalStateException if one is registered already
     */
    public static synchronized void register(SpaceAccess access) {
        if (instance != null) {
            throw new IllegalStateException("SpaceAccess is registered already");
        }
        instance = access;
    }

    /**
     * Returns the implementation, initializing {@link LoopbackSpace} first if needed.
     *
     * @return the registered implementation
     */
    public static SpaceAccess get() {
        SpaceAccess access = instance;
        if (access == null) {
            try {
                Class.forName(LoopbackSpace.class.getName(), true, LoopbackSpace.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = instance;
            if (access == null) {
                throw new IllegalStateException("LoopbackSpace initialized without registering its SpaceAccess");
            }
        }
        return access;
    }

    /**
     * Closes every link and listener {@code space} created but keeps its hosts leased, so that what
     * still listens on them can be inspected before {@link LoopbackSpace#close()} gives them back.
     * Idempotent; afterwards only {@code close()}, {@code hosts()} and {@code seed()} may be used.
     *
     * @param space the space whose sockets to close
     */
    public abstract void closeSockets(LoopbackSpace space);

    /**
     * Returns the endpoints {@code space} handed out so far ({@code endpoint(...)} and
     * {@code bind(...)}, fixed and kernel-assigned ports), for messages about who holds them.
     *
     * @param space the space whose endpoints to list
     * @return the endpoints handed out so far
     */
    public abstract Set<Endpoint> handedOut(LoopbackSpace space);

    /**
     * Overrides the once-per-JVM probe of whether loopback addresses beyond 127.0.0.1 can be bound,
     * for testing the platform policies and for platforms the probe misjudges; returns {@code builder}.
     *
     * @param builder the builder to change
     * @param available whether to assume that loopback addresses beyond 127.0.0.1 can be bound
     * @return {@code builder}
     */
    public abstract LoopbackSpace.Builder assumeLoopbackAliases(LoopbackSpace.Builder builder, boolean available);
}
