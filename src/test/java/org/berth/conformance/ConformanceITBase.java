package org.berth.conformance;

import java.util.UUID;

import org.berth.ITBase;
import org.berth.support.ConformanceData;
import org.berth.support.ConformanceSuite;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the four conformance workflows share: a client signed in as the administrator (the suite
 * with OCI_USERNAME/OCI_PASSWORD), the {@code conformance} project, fresh test data, and a suite
 * on a repository of the workflow's own. Subclasses run their workflow's setup after this.
 */
abstract class ConformanceITBase extends ITBase {

    protected RegistryClient client;
    protected ConformanceData data;
    protected ConformanceSuite suite;

    /** The workflow's name, which names its repositories: {@code conformance/<workflow>/...}. */
    protected abstract String workflow();

    @BeforeEach
    void connect() {
        client = registryAsAdmin();
        ensureProject("conformance");
        data = new ConformanceData();
        suite = newSuite(data);
    }

    /** A suite on a new repository, with its own cross-mount namespace (as the Go suite makes one). */
    protected ConformanceSuite newSuite(ConformanceData fixtures) {
        return new ConformanceSuite(client, uniqueRepository("conformance/" + workflow()),
                "conformance-" + UUID.randomUUID(), fixtures).withAutomaticCrossmountFromEnvironment();
    }
}
