package dev.loopback.examples.jdbc;

import static dev.loopback.junit.LoopbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.loopback.Fault;
import dev.loopback.FaultHandle;
import dev.loopback.LoopbackSpace;
import dev.loopback.TcpLink;
import dev.loopback.examples.support.H2Server;
import dev.loopback.junit.LoopbackTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;

@LoopbackTest
@DisplayName("JDBC: a HikariCP pool in front of H2 in server mode")
class HikariH2ScenarioTest {

    H2Server database;

    @BeforeEach
    void startDatabase() throws SQLException {
        database = H2Server.start();
    }

    @AfterEach
    void stopDatabase() {
        database.close();
    }

    /** The application's pool, as it would configure it, pointed at the link, keeping one idle connection. */
    static HikariDataSource pool(TcpLink link, TestInfo test, int size) {
        return pool(link, test, size, 1);
    }

    static HikariDataSource pool(TcpLink link, TestInfo test, int size, int minimumIdle) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(H2Server.url(link.endpoint(), test.getTestMethod().orElseThrow().getName()));
        config.setUsername("sa");
        config.setPassword("");
        config.setPoolName(link.name());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(minimumIdle);
        config.setConnectionTimeout(500);
        config.setInitializationFailTimeout(-1); // start even if the database is slow: the test decides
        // H2 reports a dead socket as error 90067, which is no SQLSTATE 08 class: without this, Hikari
        // would hand the broken connection out again.
        config.setExceptionOverride(new H2Server.EvictBrokenConnections());
        return new HikariDataSource(config);
    }

    static int selectAnswer(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 42")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static int selectAnswer(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return selectAnswer(connection);
        }
    }

    @Test
    @DisplayName("1 s of latency: getConnection() gives up after the pool's 500 ms connectionTimeout; removed, it works")
    void poolTimesOutBehindLatency(LoopbackSpace space, TestInfo test, TestReporter reporter) throws Exception {
        TcpLink link = space.link("orders-db", database.endpoint());
        try (HikariDataSource pool = pool(link, test, 2)) {
            FaultHandle slow = link.inject(Fault.latency(Duration.ofSeconds(1)));
            long start = System.nanoTime();
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("Connection is not available, request timed out after");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isBetween(450L, 5_000L);
            slow.remove();

            // Bytes sent before the removal still arrive a second late, so the connection the pool was
            // opening may need more than one 500 ms getConnection() to be ready: retry until it is.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(SQLTransientConnectionException.class)
                    .untilAsserted(() -> assertThat(selectAnswer(pool)).isEqualTo(42));
            reporter.publishEntry("observed", "SQLTransientConnectionException after " + millis
                    + " ms (connectionTimeout 500 ms, latency 1 s each way); SELECT 42 once the latency was removed");
        }
    }

    @Test
    @DisplayName("a partition during a query: H2 waits (no network timeout), the pool times out, everything resumes on heal()")
    void partitionDuringAQueryHoldsItUntilHeal(LoopbackSpace space, TestInfo test, TestReporter reporter)
            throws Exception {
        TcpLink link = space.link("orders-db", database.endpoint());
        // No idle connection: the pool would validate one with isValid() before handing it out, and H2
        // bounds neither that nor setNetworkTimeout, so getConnection() would wait for the heal instead
        // of timing out (it did, whenever the pool had opened its idle connection before the partition).
        try (HikariDataSource pool = pool(link, test, 2, 0); Connection inFlight = pool.getConnection()) {
            assertThat(selectAnswer(inFlight)).isEqualTo(42);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);

            link.partition();
            ExecutorService application = Executors.newSingleThreadExecutor();
            Future<Integer> query = application.submit(() -> selectAnswer(inFlight));
            application.shutdown();
            // H2 2.x ignores setNetworkTimeout and abort: only the application's own deadline fires
            assertThatThrownBy(() -> query.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("request timed out after");

            link.heal();
            assertThat(query.get(10, TimeUnit.SECONDS)).isEqualTo(42); // held, not lost
            // The connection the pool began to open during the partition finishes its handshake now,
            // which may take longer than one 500 ms getConnection() on a busy machine: retry until it is ready.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(SQLTransientConnectionException.class)
                    .untilAsserted(() -> {
                        try (Connection fresh = pool.getConnection()) {
                            assertThat(selectAnswer(fresh)).isEqualTo(42);
                        }
                    });
            assertThat(database.endpoint()).isReachedOnlyThrough(link);
            reporter.publishEntry("observed", "partitioned: the query kept waiting (no driver error), getConnection()"
                    + " timed out after 500 ms; healed: the held query returned 42 and the pool served again");
        }
    }

    @Test
    @DisplayName("a reset on one of three pooled connections: one query fails with 'Connection is broken', the pool replaces it")
    void resetOnOnePooledConnectionIsEvictedAndReplaced(LoopbackSpace space, TestInfo test, TestReporter reporter)
            throws Exception {
        TcpLink link = space.link("orders-db", database.endpoint());
        link.inject(Fault.reset().onConnection(2).after(Duration.ofMillis(1500)));
        try (HikariDataSource pool = pool(link, test, 3)) {
            List<Connection> borrowed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // on a busy machine opening a connection may take longer than one 500 ms getConnection()
                borrowed.add(await().atMost(Duration.ofSeconds(10))
                        .ignoreExceptionsInstanceOf(SQLTransientConnectionException.class)
                        .until(pool::getConnection, c -> true));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().resets() == 1);

            List<String> failures = new ArrayList<>();
            for (Connection connection : borrowed) {
                try (connection) {
                    assertThat(selectAnswer(connection)).isEqualTo(42);
                } catch (SQLException e) {
                    failures.add(e.getClass().getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            assertThat(failures).singleElement().asString()
                    .startsWith("JdbcSQLNonTransientConnectionException")
                    .contains("Connection is broken");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(selectAnswer(pool)).isEqualTo(42));
            try (Connection a = pool.getConnection(); Connection b = pool.getConnection(); Connection c = pool.getConnection()) {
                for (Connection connection : List.of(a, b, c)) {
                    assertThat(selectAnswer(connection)).isEqualTo(42);
                }
                assertThat(database.endpoint()).isReachedOnlyThrough(link);
            }
            assertThat(link).hasResetConnections(1);
            reporter.publishEntry("observed", "1 of 3 queries: " + failures.get(0) + "; the pool evicted it and"
                    + " served three good connections again (link accepted " + link.stats().accepted() + ")");
        }
    }
}
