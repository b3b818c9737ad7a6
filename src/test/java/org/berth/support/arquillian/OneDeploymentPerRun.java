package org.berth.support.arquillian;

import java.util.logging.Logger;

import org.jboss.arquillian.container.spi.Container;
import org.jboss.arquillian.container.spi.ContainerRegistry;
import org.jboss.arquillian.container.spi.client.deployment.Deployment;
import org.jboss.arquillian.container.spi.client.deployment.DeploymentScenario;
import org.jboss.arquillian.container.spi.event.DeployManagedDeployments;
import org.jboss.arquillian.container.spi.event.UnDeployManagedDeployments;
import org.jboss.arquillian.container.test.impl.client.deployment.event.GenerateDeployment;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.InstanceProducer;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.annotation.ClassScoped;
import org.jboss.arquillian.test.spi.event.suite.AfterSuite;

/**
 * Deploys the WAR once per test run, not once per test class.
 *
 * <p>Every integration test deploys the same black box ({@link org.berth.ITBase#deployment()})
 * with the same settings, and every test works on repositories and projects of its own, so
 * nothing is gained by a fresh server per class. With the Payara Micro adapter each deployment
 * is a new JVM: boot and deployment took 65-90 s per class on a slow CI machine, more than
 * the tests of most classes. This extension keeps the first class's deployment scenario (and
 * with it the deployment context that holds the server's URL) and hands it to every later
 * class, lets the first deployment through and holds back every undeployment until the run
 * ends. Failsafe runs all test classes of one pass in one JVM, so each pass (H2, PostgreSQL)
 * still starts a server of its own. Registered in
 * {@code META-INF/services/org.jboss.arquillian.core.spi.LoadableExtension}.
 */
public final class OneDeploymentPerRun implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(SharedScenario.class);
    }

    /** The observer: Arquillian makes one per run and calls it around the deployment events. */
    public static final class SharedScenario {

        private static final Logger LOG = Logger.getLogger(OneDeploymentPerRun.class.getName());

        @Inject
        @ClassScoped
        private InstanceProducer<DeploymentScenario> classScenario;

        @Inject
        private Instance<ContainerRegistry> containers;

        private DeploymentScenario shared;
        private boolean deployed;

        /** The first class generates the scenario; later classes get the same one. */
        public void generateOnce(@Observes EventContext<GenerateDeployment> event) {
            if (shared == null) {
                event.proceed();
                shared = classScenario.get();
            } else {
                classScenario.set(shared);
            }
        }

        public void deployOnce(@Observes EventContext<DeployManagedDeployments> event) {
            if (!deployed) {
                deployed = true;
                event.proceed();
            }
        }

        /** After a class: keep the server for the next one. */
        public void keepDeployed(@Observes EventContext<UnDeployManagedDeployments> event) {
            // held back; undeployAtEnd ends the server
        }

        /**
         * At the end of the run: undeploy, which for Payara Micro stops its JVM. (Without this
         * the adapter's shutdown hook would stop it when Failsafe's JVM exits.)
         */
        public void undeployAtEnd(@Observes AfterSuite event) {
            if (shared == null || !deployed) {
                return;
            }
            for (Deployment deployment : shared.deployments()) {
                if (!deployment.isDeployed()) {
                    continue;
                }
                Container container = containers.get().getContainer(deployment.getDescription().getTarget());
                try {
                    container.getDeployableContainer().undeploy(deployment.getDescription().getArchive());
                } catch (Exception e) {
                    LOG.warning("undeploying the shared deployment at the end of the run failed: " + e);
                }
            }
            deployed = false;
        }
    }
}
