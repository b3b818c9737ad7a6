package org.berth.infrastructure.jpa;

import java.util.Optional;
import java.util.logging.Logger;

import javax.naming.NamingException;
import javax.sql.DataSource;

import org.berth.infrastructure.config.StartupCheck;
import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Session;

/**
 * Runs Berth's startup checks and selects the datasource, from the earliest hook a WAR has on
 * Payara: Payara opens a JPA session while it validates the deployment, before any
 * {@code @Startup} bean, and EclipseLink calls this customizer just before that first connection.
 * Checking here turns a bad setting into one line from {@link StartupCheck} instead of the
 * provider's and the pool's stack traces.
 */
public class StartupSessionCustomizer implements SessionCustomizer {

    private static final Logger LOG = Logger.getLogger(StartupSessionCustomizer.class.getName());

    @Override
    public void customize(Session session) {
        StartupCheck check = StartupCheck.ofConfiguration();
        check.dataRootWritable();
        check.gcSettings();
        check.webhookSettings();
        check.secretKeySetting();
        Optional<String> operatorResource = OperatorDataSource.configuredName();
        if (operatorResource.isPresent()) {
            try {
                String reads = OperatorDataSource.apply(operatorResource.get(), session);
                LOG.info(() -> "Metadata database: the JDBC resource " + operatorResource.get()
                        + " (berth.db.jndi); reads outside transactions through " + reads);
            } catch (NamingException | ClassCastException e) {
                StartupCheck.noSuchResource(operatorResource.get(), e);
            }
        }
        check.databaseReachable(dataSource(session));
    }

    private static DataSource dataSource(Session session) {
        JNDIConnector connector = (JNDIConnector) ((DatasourceLogin) session.getDatasourceLogin()).getConnector();
        if (connector.getDataSource() != null) {
            return connector.getDataSource();
        }
        try {
            return OperatorDataSource.lookup(connector.getName());
        } catch (NamingException e) {
            throw new IllegalStateException("no datasource behind " + connector.getName(), e);
        }
    }
}
