package org.berth.infrastructure.jpa;

import java.util.Optional;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.server.ServerSession;

/**
 * A JDBC resource that the operator defined on the server ({@code asadmin create-jdbc-resource},
 * a Payara Micro post-boot command) and named in {@code berth.db.jndi}. When set, it replaces
 * {@code java:app/jdbc/berth} from {@link BerthDataSource} for JPA and for the migrations.
 *
 * <p>Why not a variable jta-data-source in persistence.xml: Payara expands {@code ${MPCONFIG=...}}
 * there while it validates the deployment, before the WAR's microprofile-config.properties is
 * visible, so the setting could have no default.
 */
final class OperatorDataSource {

    private OperatorDataSource() {
    }

    /** The JNDI name of the operator's JDBC resource, if {@code berth.db.jndi} is set. */
    static Optional<String> configuredName() {
        return ConfigProvider.getConfig(OperatorDataSource.class.getClassLoader())
                .getOptionalValue("berth.db.jndi", String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    static DataSource lookup(String name) throws NamingException {
        return (DataSource) new InitialContext().lookup(name);
    }

    /**
     * Points every connection pool of the EclipseLink session at the operator's resource.
     * Returns the name that reads outside a transaction use.
     */
    static String apply(String name, Session session) throws NamingException {
        JNDIConnector transactional = new JNDIConnector(lookup(name));
        ((DatasourceLogin) session.getDatasourceLogin()).setConnector(transactional);
        if (session instanceof ServerSession server) {
            server.getConnectionPools().values().forEach(pool -> ((DatasourceLogin) pool.getLogin()).setConnector(transactional));
            // Reads outside a transaction use the non-transactional twin, as Payara arranges for a
            // jta-data-source: it registers each JDBC resource a second time as NAME__pm.
            String readName = nonTransactionalName(name);
            ((DatasourceLogin) server.getReadConnectionPool().getLogin()).setConnector(new JNDIConnector(lookup(readName)));
            return readName;
        }
        return name;
    }

    private static String nonTransactionalName(String name) {
        try {
            lookup(name + "__pm");
            return name + "__pm";
        } catch (NamingException e) {
            return name;
        }
    }
}
