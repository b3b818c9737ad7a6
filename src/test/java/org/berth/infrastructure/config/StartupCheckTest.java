package org.berth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupCheckTest {

    @TempDir
    Path tmp;

    private static StartupCheck with(Map<String, String> settings) {
        return new StartupCheck(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void aWritableDataRootIsCreatedAndLeftClean() throws Exception {
        Path root = tmp.resolve("a/b");
        with(Map.of("berth.data.root", root.toString())).dataRootWritable();
        assertTrue(Files.isDirectory(root));
        try (var files = Files.list(root)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aDataRootThatCannotBeADirectoryIsNamedInOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        String root = file.resolve("data").toString();
        var failure = assertThrows(StartupCheck.StartupFailure.class,
                () -> with(Map.of("berth.data.root", root)).dataRootWritable());
        assertTrue(failure.getMessage().startsWith("Berth cannot start: berth.data.root=" + root + " is not writable ("),
                failure.getMessage());
        assertEquals(0, failure.getStackTrace().length, "the line is the report, not a stack trace");
    }

    @Test
    void anUnreachableDatabaseNamesTheUrlButNotThePassword() {
        var settings = Map.of(
                "berth.db.url", "jdbc:postgresql://127.0.0.1:1/berth?password=secret",
                "berth.db.user", "berth",
                "berth.db.datasource-class", "org.postgresql.ds.PGSimpleDataSource");
        var failure = assertThrows(StartupCheck.StartupFailure.class,
                () -> with(settings).databaseReachable(refusing("Connection to 127.0.0.1:1 refused.")));
        assertEquals("Berth cannot start: cannot connect to the metadata database"
                + " berth.db.url=jdbc:postgresql://127.0.0.1:1/berth?password=*** (berth.db.user=berth):"
                + " SQLException: Connection to 127.0.0.1:1 refused.", failure.getMessage());
    }

    @Test
    void aDataSourceClassThatDoesNotTakeTheUrlIsNamed() {
        var settings = Map.of(
                "berth.db.url", "jdbc:postgresql://127.0.0.1/berth",
                "berth.db.datasource-class", "org.h2.jdbcx.JdbcDataSource");
        var failure = assertThrows(StartupCheck.StartupFailure.class,
                () -> with(settings).databaseReachable(refusing("unused")));
        assertTrue(failure.getMessage().contains("berth.db.datasource-class=org.h2.jdbcx.JdbcDataSource does not take"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource"));
    }

    @Test
    void anEmbeddedDatabaseStillHeldByAnExitingBerthIsWaitedFor() {
        var settings = Map.of(
                "berth.db.url", "jdbc:h2:/tmp/berth-test/db/berth",
                "berth.db.datasource-class", "org.h2.jdbcx.JdbcDataSource");
        AtomicInteger attempts = new AtomicInteger();
        with(settings).databaseReachable(refusing("Database may be already in use", "90020", 2, attempts));
        assertEquals(3, attempts.get(), "two refusals, then the connection");
    }

    /** A pool wraps the driver's exception: the report quotes the driver. */
    private static DataSource refusing(String driverMessage) {
        return refusing(driverMessage, null, Integer.MAX_VALUE, new AtomicInteger());
    }

    /** Refuses {@code refusals} times with the driver's message and SQL state, then connects. */
    private static DataSource refusing(String driverMessage, String sqlState, int refusals, AtomicInteger attempts) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                if (attempts.incrementAndGet() > refusals) {
                    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
                }
                throw new SQLException("Error in allocating a connection",
                        new IllegalStateException("pool", new SQLException(driverMessage, sqlState)));
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) {
                return null;
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    @Test
    void garbageCollectionSettingsAreCheckedAndABadOneNamedInOneLine() {
        with(Map.of()).gcSettings();
        with(Map.of("berth.gc.grace", "0", "berth.upload.expiry", "86400", "berth.gc.schedule", "0 3 * * 6")).gcSettings();
        with(Map.of("berth.gc.schedule", "@daily")).gcSettings();
        var grace = assertThrows(StartupCheck.StartupFailure.class, () -> with(Map.of("berth.gc.grace", "1h")).gcSettings());
        assertEquals("Berth cannot start: berth.gc.grace=1h is not a number of seconds (a whole number from 0)", grace.getMessage());
        var expiry = assertThrows(StartupCheck.StartupFailure.class, () -> with(Map.of("berth.upload.expiry", "-1")).gcSettings());
        assertEquals("Berth cannot start: berth.upload.expiry=-1 is not a number of seconds (a whole number from 0)", expiry.getMessage());
        var schedule = assertThrows(StartupCheck.StartupFailure.class, () -> with(Map.of("berth.gc.schedule", "0 25 * * *")).gcSettings());
        assertEquals("Berth cannot start: berth.gc.schedule=0 25 * * * is not a cron schedule (the hour field has 25, outside 0-23)",
                schedule.getMessage());
    }

    @Test
    void webhookSettingsAreCheckedAndABadOneNamedInOneLine() {
        with(Map.of()).webhookSettings();
        with(Map.of("berth.webhook.backoff-base", "0.2", "berth.webhook.max-attempts", "8", "berth.webhook.keep-days", "7"))
                .webhookSettings();
        var base = assertThrows(StartupCheck.StartupFailure.class,
                () -> with(Map.of("berth.webhook.backoff-base", "30s")).webhookSettings());
        assertEquals("Berth cannot start: berth.webhook.backoff-base=30s is not a number of seconds (from 0.001 to 86400,"
                + " e.g. 30)", base.getMessage());
        assertThrows(StartupCheck.StartupFailure.class, () -> with(Map.of("berth.webhook.backoff-base", "0")).webhookSettings());
        var attempts = assertThrows(StartupCheck.StartupFailure.class,
                () -> with(Map.of("berth.webhook.max-attempts", "0")).webhookSettings());
        assertEquals("Berth cannot start: berth.webhook.max-attempts=0 is not a whole number from 1 to 50", attempts.getMessage());
        assertThrows(StartupCheck.StartupFailure.class, () -> with(Map.of("berth.webhook.keep-days", "x")).webhookSettings());
    }

    @Test
    void aSecretKeyThatIsNeitherAKeyNorALongPassphraseIsRefusedWithoutQuotingIt() {
        with(Map.of()).secretKeySetting();
        with(Map.of("berth.secret.key", " ")).secretKeySetting();
        with(Map.of("berth.secret.key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).secretKeySetting();
        with(Map.of("berth.secret.key", "a passphrase of some length")).secretKeySetting();
        var weak = assertThrows(StartupCheck.StartupFailure.class,
                () -> with(Map.of("berth.secret.key", "hunter2")).secretKeySetting());
        assertEquals("Berth cannot start: berth.secret.key (BERTH_SECRET_KEY) is not usable: it must be the base64 of"
                + " 32 random bytes (openssl rand -base64 32) or a passphrase of at least 16 characters", weak.getMessage());
    }
}
