package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: deep nesting and long strings are refused at parse time with a 400 and the
 * route's OCI code, and no input, however long the message it leads to, gives a 500 or a huge
 * answer.
 */
class ParsingLimitsIT extends ITBase {

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static void assertSmallJsonError(RegistryClient.Response r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(List.of(code), r.errorCodes(), r.toString());
        assertTrue(r.body().length < 2048, "an error answer of " + r.body().length + " bytes");
    }

    @Test
    void manifestNestedAThousandLevelsIsRefusedWith400ManifestInvalid() {
        String repository = uniqueRepository("library/deep");
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"annotations\":{\"x\":\"y\"},\"extra\":" + nested(1000) + "}").getBytes(StandardCharsets.UTF_8);
        RegistryClient.Response r = registryAsAdmin().request("PUT", "/v2/" + repository + "/manifests/v1")
                .contentType(RegistryClient.OCI_MANIFEST).body(manifest).send();
        assertSmallJsonError(r, 400, "MANIFEST_INVALID");
    }

    @Test
    void projectNestedAThousandLevelsIsRefusedWith400InvalidRequest() {
        byte[] body = ("{\"name\":\"deep\",\"public\":" + nested(1000) + "}").getBytes(StandardCharsets.UTF_8);
        RegistryClient.Response r = registryAsAdmin().request("POST", "/api/v1/projects")
                .contentType("application/json").body(body).send();
        assertSmallJsonError(r, 400, "INVALID_REQUEST");
    }

    @Test
    void hundredThousandDigitNumberIsRefusedWith400InvalidRequest() {
        byte[] body = ("{\"limit_bytes\":" + "9".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        RegistryClient.Response r = registryAsAdmin().request("PUT", "/api/v1/projects/library/quota")
                .contentType("application/json").body(body).send();
        assertSmallJsonError(r, 400, "INVALID_REQUEST");
    }

    @Test
    void fiveThousandCharacterMediaTypeIsRefusedWith400AndAudited() {
        String repository = uniqueRepository("library/longtype");
        String mediaType = "application/vnd." + "x".repeat(5000) + "+json";
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{\"mediaType\":\""
                + mediaType + "\",\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":1},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        RegistryClient.Response r = registryAsAdmin().request("PUT", "/v2/" + repository + "/manifests/v1")
                .contentType("application/json").body(manifest).send();
        assertSmallJsonError(r, 400, "MANIFEST_INVALID");

        RegistryClient.Response audit = awaitAudit(repository, "push");
        String text = audit.bodyText();
        assertTrue(text.contains("\"result\":\"failure\""), text);
        assertTrue(text.contains("\"detail\":\"400: MANIFEST_INVALID: mediaType is 5021 characters long"), text);
        assertTrue(text.length() < 4096, "an audit entry of " + text.length() + " characters");
    }

    @Test
    void fiveThousandCharacterTokenNameInTheUrlGivesASmallJsonErrorAndAnAuditEntry() {
        String prefix = "tok" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String name = prefix + "t".repeat(5000);
        RegistryClient.Response r = registryAsAdmin().request("DELETE", "/api/v1/users/current/tokens/" + name).send();
        assertEquals("application/json", r.header("Content-Type").split(";")[0], r.status() + " " + r.header("Content-Type"));
        assertTrue(r.status() == 404 || r.status() == 400, "status " + r.status());
        assertTrue(r.body().length < 2048, "an error answer of " + r.body().length + " bytes");
        // the entry is written (its resource clipped), not lost with its batch
        String entry = awaitAudit(prefix, "token_revoke").bodyText();
        assertTrue(entry.length() < 4096, "an audit entry of " + entry.length() + " characters");
    }

    @Test
    void fiveThousandCharacterRepositoryNameGivesASmallJsonError() {
        RegistryClient.Response r = registryAsAdmin().request("GET", "/v2/library/" + "n".repeat(5000) + "/manifests/v1").send();
        assertTrue(r.status() >= 400 && r.status() < 500, "status " + r.status());
        assertTrue(r.body().length < 2048, "an error answer of " + r.body().length + " bytes");
    }

    @Test
    void aPathNoResourceServesGetsTheOciErrorBodyNotPayarasHtmlPage() {
        RegistryClient.Response r = new RegistryClient(base()).request("GET", "/nowhere/" + java.util.UUID.randomUUID()).send();
        assertEquals("application/json", r.header("Content-Type").split(";")[0], r.status() + " " + r.bodyText());
        assertSmallJsonError(r, 404, "NOT_FOUND");
    }

    /** The audit writer flushes once a second: wait for the entry of this resource (a prefix). */
    private RegistryClient.Response awaitAudit(String resource, String operation) {
        String query = "/api/v1/audit-logs?resource=" + URLEncoder.encode(resource, StandardCharsets.UTF_8);
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            RegistryClient.Response r = registryAsAdmin().request("GET", query).send();
            if (r.status() == 200 && r.bodyText().contains("\"operation\":\"" + operation + "\"")) {
                return r;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + operation + " audit entry for " + resource + ": " + r.status());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
