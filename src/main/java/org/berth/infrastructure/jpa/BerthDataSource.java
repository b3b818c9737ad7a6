package org.berth.infrastructure.jpa;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The metadata datasource, {@code java:app/jdbc/berth}. Its URL and credentials come from
 * MicroProfile Config ({@code berth.db.*}, i.e. {@code BERTH_DB_URL} ...); by default an H2 file
 * database under the data root.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/berth",
        className = "org.h2.jdbcx.JdbcDataSource",
        url = "${MPCONFIG=berth.db.url}",
        user = "${MPCONFIG=berth.db.user}",
        password = "${MPCONFIG=berth.db.password}",
        minPoolSize = 2,
        maxPoolSize = 32)
@ApplicationScoped
public class BerthDataSource {
}
