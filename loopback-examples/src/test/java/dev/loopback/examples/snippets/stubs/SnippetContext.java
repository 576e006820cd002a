package dev.loopback.examples.snippets.stubs;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.UdpLink;
import javax.sql.DataSource;

/**
 * What a documentation snippet that is a fragment (statements, not a class) may use without
 * declaring it: the user-side names the prose assumes. {@link DocSnippetsCompileTest} compiles each
 * such snippet as the body of a method of a subclass. Add a name here when a new snippet needs one.
 */
public abstract class SnippetContext {

    protected Endpoint endpoint;
    protected LoopbackSpace space;
    protected TcpLink tcpLink;
    protected UdpLink udpLink;
    protected Resolver resolver;

    /** The user's database, started on {@code endpoint}; returns where it listens. */
    protected abstract Endpoint startDatabase(Endpoint endpoint);

    /** The user's connection pool for the database behind {@code endpoint}. */
    protected abstract DataSource dataSource(Endpoint endpoint);

    /** The user's DNS resolver. */
    public interface Resolver {
        String query(Endpoint server, String name) throws Exception;
    }
}
