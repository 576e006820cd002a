package dev.loopback.examples.catalogue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.catalogue.Measurement.Case;
import dev.loopback.examples.catalogue.Measurement.Subject;
import dev.loopback.examples.support.H2Server;
import dev.loopback.junit.LoopbackSeed;
import dev.loopback.junit.LoopbackTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@LoopbackTest
@LoopbackSeed(14)
@DisplayName("Catalogue: HikariCP pool (connectionTimeout 500 ms) + H2 server mode, SELECT 42")
class JdbcCatalogueTest extends CatalogueRow {

    static LoopbackSpace space;
    static H2Server database;
    static final AtomicInteger LINKS = new AtomicInteger();

    @BeforeAll
    static void start(LoopbackSpace classSpace) throws Exception {
        space = classSpace;
        database = H2Server.start();
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Override
    String client() {
        return label("JDBC: HikariCP + H2", HikariDataSource.class, org.h2.Driver.class);
    }

    @Override
    List<Case> cases() {
        return Measurement.TCP;
    }

    /**
     * Under a blackhole, the pool's single connection-adder thread blocks in H2's handshake, which
     * has no read timeout, and stays blocked: the pool never opens another connection.
     */
    @Override
    Set<String> doesNotRecoverFrom() {
        return Set.of("blackhole()");
    }

    @Override
    Subject open() {
        TcpLink link = space.link("db-" + LINKS.incrementAndGet(), database.endpoint());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(H2Server.url(link.endpoint(), "catalogue"));
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(500);
        config.setInitializationFailTimeout(-1);
        config.setExceptionOverride(new H2Server.EvictBrokenConnections());
        HikariDataSource pool = new HikariDataSource(config);
        return Subject.of(link, () -> {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 42")) {
                rs.next();
                return rs.getInt(1);
            }
        }, pool::close);
    }
}
