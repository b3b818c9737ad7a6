package org.berth.infrastructure.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the metadata schema with Flyway's versioned migrations
 * ({@code src/main/resources/db/migration}) before anything else touches the database.
 */
@Singleton
@Startup
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "java:app/jdbc/berth")
    DataSource dataSource;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void migrate() {
        var operatorName = OperatorDataSource.configuredName();
        if (operatorName.isPresent()) {
            try {
                dataSource = OperatorDataSource.lookup(operatorName.get());
            } catch (NamingException e) {
                throw new IllegalStateException("berth.db.jndi=" + operatorName.get() + ": " + e.getMessage(), e);
            }
        }
        String product = databaseProduct();
        Flyway flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("collate_c", product.contains("postgres") ? "COLLATE \"C\"" : ""))
                .load();
        // The version comes from migrate()'s own result: flyway.info() ran Flyway a second time
        // (its scan of the migrations and its read of the history table) on every start (issue 15).
        MigrateResult result = flyway.migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info(() -> "Metadata schema on " + product + " at version "
                + (version == null ? "none" : version) + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    private String databaseProduct() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the metadata database (berth.db.url): " + e.getMessage(), e);
        }
    }
}
