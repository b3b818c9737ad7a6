package org.berth.infrastructure.jpa;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The metadata datasource, {@code java:app/jdbc/berth}. Its class, URL and credentials come from
 * MicroProfile Config ({@code berth.db.*}, i.e. {@code BERTH_DB_DATASOURCE_CLASS}, {@code BERTH_DB_URL}
 * ...), so PostgreSQL is a matter of configuration; by default an H2 file database under the data
 * root. Payara resolves {@code ${MPCONFIG=...}} in every attribute, the class name included.
 * {@code berth.db.jndi} replaces it with a server-defined resource ({@link OperatorDataSource}).
 */
@DataSourceDefinition(
        name = "java:app/jdbc/berth",
        className = "${MPCONFIG=berth.db.datasource-class}",
        url = "${MPCONFIG=berth.db.url}",
        user = "${MPCONFIG=berth.db.user}",
        password = "${MPCONFIG=berth.db.password}",
        minPoolSize = 2,
        maxPoolSize = 32)
@ApplicationScoped
public class BerthDataSource {
}
