package org.berth.infrastructure.jpa;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import org.berth.application.StartupOrder;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the metadata schema with Flyway's versioned migrations
 * ({@code src/main/resources/db/migration}) when the application starts, before anything else
 * touches the database.
 *
 * <p>A start on a schema that already holds every migration of this build (the usual restart) does
 * not load Flyway at all: one query of Flyway's history table tells, and Flyway's class loading and
 * scan cost about half a second and 400 classes of every start (issue 15). Anything else (an empty
 * database, a missing or failed migration, a history this build does not know) goes to Flyway,
 * which migrates, or refuses with its own message.
 */
@ApplicationScoped
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());
    private static final String LOCATION = "db/migration";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    @Resource(lookup = "java:app/jdbc/berth")
    DataSource dataSource;

    void migrate(@Observes @Priority(StartupOrder.SCHEMA) @Initialized(ApplicationScoped.class) Object started) {
        DataSource target = dataSource();
        String product = databaseProduct(target);
        Optional<Set<String>> shipped = shippedVersions();
        if (shipped.isPresent() && shipped.get().equals(appliedVersions(target))) {
            LOG.info(() -> "Metadata schema on " + product + " at version " + highest(shipped.get())
                    + " (0 migrations applied now)");
            return;
        }
        Flyway flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(target)
                .locations("classpath:" + LOCATION)
                .placeholders(Map.of("collate_c", product.contains("postgres") ? "COLLATE \"C\"" : ""))
                .load();
        MigrateResult result = flyway.migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info(() -> "Metadata schema on " + product + " at version "
                + (version == null ? "none" : version) + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    private DataSource dataSource() {
        var operatorName = OperatorDataSource.configuredName();
        if (operatorName.isEmpty()) {
            return dataSource;
        }
        try {
            return OperatorDataSource.lookup(operatorName.get());
        } catch (NamingException e) {
            throw new IllegalStateException("berth.db.jndi=" + operatorName.get() + ": " + e.getMessage(), e);
        }
    }

    private static String databaseProduct(DataSource target) {
        try (Connection c = target.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the metadata database (berth.db.url): " + e.getMessage(), e);
        }
    }

    /**
     * The versions of the migrations in this build, when they can be listed without Flyway (the
     * WAR is deployed exploded, as Payara does); empty when they cannot, and Flyway decides.
     */
    static Optional<Set<String>> shippedVersions() {
        URL folder = SchemaMigration.class.getClassLoader().getResource(LOCATION);
        if (folder == null || !"file".equals(folder.getProtocol())) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            Set<String> versions = new TreeSet<>();
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = VERSIONED.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    return Optional.empty(); // a kind of migration this check does not know: Flyway's call
                }
                versions.add(m.group(1).replace('_', '.'));
            }
            return versions.isEmpty() ? Optional.empty() : Optional.of(versions);
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The versions Flyway's history records as applied; empty when the table is missing or any
     * migration is recorded as failed (Flyway must then report or repair it).
     */
    private static Set<String> appliedVersions(DataSource target) {
        Set<String> versions = new TreeSet<>();
        try (Connection c = target.getConnection();
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("select \"version\", \"success\" from \"flyway_schema_history\"")) {
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return Set.of();
                }
                if (rows.getString(1) != null) {
                    versions.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            return Set.of(); // no history yet: a first start
        }
        return versions;
    }

    private static String highest(Set<String> versions) {
        return versions.stream().max(SchemaMigration::compareVersions).orElse("none");
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }
}
