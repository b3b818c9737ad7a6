package org.berth;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.UUID;

import org.berth.support.RegistryClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of every Arquillian integration test: deploys the WAR that the build produced
 * (a black box, {@code testable = false}) on Payara Micro and hands the test its base URL.
 * The WAR is named ROOT.war so that {@code /v2/} sits at the host root. All test classes of a
 * run share one deployment ({@link org.berth.support.arquillian.OneDeploymentPerRun}), so a
 * test must not depend on a fresh server: its users, projects and repositories are its own.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class ITBase {

    @ArquillianResource
    protected URL deploymentUrl;

    @Deployment(testable = false)
    public static WebArchive deployment() {
        File war = new File(System.getProperty("berth.war", "target/ROOT.war"));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
    }

    /** Arquillian runs tests even when the deployment failed: make that a failure. */
    @BeforeEach
    void deploymentHappened() {
        assertNotNull(deploymentUrl, "the WAR was not deployed");
    }

    /** Base URI of the server root, e.g. {@code http://localhost:8123/}. */
    protected URI base() {
        // Always loopback: Arquillian reports the machine's own address, and test traffic stays on loopback.
        return URI.create(deploymentUrl.getProtocol() + "://localhost:" + deploymentUrl.getPort() + "/");
    }

    /** The system administrator's password: the build sets BERTH_ADMIN_PASSWORD to it for integration tests. */
    public static final String ADMIN_PASSWORD = "Admin12345!";

    /** A registry client that authenticates as the system administrator. */
    protected RegistryClient registryAsAdmin() {
        return new RegistryClient(base()).withBasicAuth("admin", ADMIN_PASSWORD);
    }

    /** Creates the project (public) unless it exists, so that tests may push into it. */
    protected void ensureProject(String name) {
        RegistryClient.Response r = registryAsAdmin().request("POST", "/api/v1/projects")
                .contentType("application/json")
                .body(("{\"name\":\"" + name + "\",\"public\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .send();
        if (r.status() != 201 && r.status() != 409) {
            throw new AssertionError("cannot create project " + name + ": " + r);
        }
    }

    /** A repository name no other test uses, so tests share no state. */
    protected static String uniqueRepository(String prefix) {
        return prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
