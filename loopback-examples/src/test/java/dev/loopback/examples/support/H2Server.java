package dev.loopback.examples.support;

import dev.loopback.Endpoint;
import dev.loopback.LoopbackSpace;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.net.InetAddress;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.h2.tools.Server;

/**
 * An H2 database in server mode (its TCP server, as an application would run it), on a loopback
 * address of its own.
 *
 * <p>H2's TCP server has no per-server bind address: it binds {@code 0.0.0.0} unless the JVM-wide
 * system property {@code h2.bindAddress} is set before H2's first class loads. So this class leases
 * one host for the whole JVM (released by the kernel when the JVM exits), sets the property to it
 * before it touches H2, and gives every server a port of its own on that host. Use this class
 * before any other H2 code runs in the JVM, or the servers bind the wildcard.
 */
public final class H2Server implements AutoCloseable {

    private static final LoopbackSpace JVM_WIDE = LoopbackSpace.open();
    private static final InetAddress HOST = JVM_WIDE.host("h2");

    static {
        System.setProperty("h2.bindAddress", HOST.getHostAddress());
    }

    private final Server server;
    private final Endpoint endpoint;

    private H2Server(Server server, Endpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /** Starts a TCP server that creates in-memory databases on first connection. */
    public static H2Server start() throws SQLException {
        Endpoint endpoint = JVM_WIDE.endpoint("h2");
        Server server = Server.createTcpServer("-tcpPort", Integer.toString(endpoint.port()), "-ifNotExists").start();
        return new H2Server(server, endpoint);
    }

    /** Returns where the server listens. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Returns a host name of the servers' host ({@code h2.s3.loopback.test}) that resolves for
     * every client of the JVM while the JVM runs (JDK 18+; see {@code LoopbackSpace.hostName}).
     */
    public static String hostName() {
        return JVM_WIDE.hostName("h2");
    }

    /** Returns the JDBC URL of the in-memory database {@code name}, dialled through {@code via}. */
    public static String url(Endpoint via, String name) {
        return "jdbc:h2:tcp://" + via.hostPort() + "/mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * Tells HikariCP that H2's connection errors break the connection. H2 reports a dead socket as
     * error 90067 ({@link SQLNonTransientConnectionException}, SQLSTATE 90067), which is not in the
     * SQLSTATE 08 class Hikari recognises: without this, Hikari hands the broken connection out again
     * to a caller who comes back within its 500 ms validation bypass window.
     */
    public static final class EvictBrokenConnections implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return e instanceof SQLNonTransientConnectionException ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
        }
    }
}
