package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 ("Hardening"), items 8 and 10, against the deployed WAR: no client holds disk
 * forever. Open upload sessions are capped per account (BERTH_MAX_UPLOAD_SESSIONS, 100 by
 * default) with 429 TOOMANYREQUESTS, and a PATCH that outgrows its project's quota is refused
 * while it streams, its bytes released. (Item 9, the full disk, is e2e/85-disk-full.sh.)
 */
class UploadLimitsIT extends ITBase {

    /** The default of berth.max-upload-sessions, which the integration tests run with. */
    private static final int MAX_SESSIONS = 100;

    private static final long MIB = 1024 * 1024;

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void admin(int expected, String method, String path, String body) {
        RegistryClient.Response r = registryAsAdmin().request(method, path).contentType("application/json").body(json(body)).send();
        assertEquals(expected, r.status(), method + " " + path + ": " + r);
    }

    /** The Authorization header of the last maintainer made by {@link #maintainerOf}. */
    private String lastAuthorization;

    /** A new maintainer of the project (push and delete); returns a client signed in as that user. */
    private RegistryClient maintainerOf(String project) {
        String user = unique("u");
        String password = "pw-" + user + "-1";
        admin(201, "POST", "/api/v1/users", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        admin(201, "POST", "/api/v1/projects/" + project + "/members", "{\"username\":\"" + user + "\",\"role\":\"maintainer\"}");
        lastAuthorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new RegistryClient(base()).withBasicAuth(user, password);
    }

    private String project() {
        String name = unique("s");
        admin(201, "POST", "/api/v1/projects", "{\"name\":\"" + name + "\",\"public\":false}");
        return name;
    }

    private static void assertError(RegistryClient.Response r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(List.of(code), r.errorCodes(), r.toString());
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random().nextBytes(b);
        return b;
    }

    /** Where the deployed Berth keeps upload sessions (the failsafe configuration sets its data root). */
    private static Path uploadFolder(String location) {
        String id = location.substring(location.lastIndexOf('/') + 1);
        return Path.of(System.getenv("BERTH_DATA_ROOT"), "uploads", id);
    }

    @Test
    void openUploadSessionsPerAccountAreCappedWith429() {
        String project = project();
        RegistryClient alice = maintainerOf(project);
        RegistryClient bob = maintainerOf(project);
        String repo = project + "/sessions";
        List<String> open = new ArrayList<>();
        for (int i = 0; i < MAX_SESSIONS; i++) {
            RegistryClient.Response started = alice.startUpload(repo);
            assertEquals(202, started.status(), "session " + (i + 1) + ": " + started);
            open.add(started.relativeLocation());
        }

        RegistryClient.Response refused = alice.startUpload(repo);
        assertError(refused, 429, "TOOMANYREQUESTS");
        assertEquals("60", refused.header("Retry-After"));
        assertTrue(refused.bodyText().contains("too many open upload sessions"), refused.bodyText());
        byte[] blob = random(1000);
        assertError(alice.postBlob(repo, RegistryClient.sha256(blob), blob), 429, "TOOMANYREQUESTS");
        assertEquals(202, bob.startUpload(repo).status(), "another account is not limited by alice's sessions");

        // a cancelled session frees its slot
        assertEquals(204, alice.request("DELETE", open.remove(0)).send().status());
        assertEquals(202, alice.startUpload(repo).status());
        assertError(alice.startUpload(repo), 429, "TOOMANYREQUESTS");

        // so does a finished one
        RegistryClient.Response done = alice.request("PUT", open.remove(0)).query("digest", RegistryClient.sha256(blob))
                .contentType(RegistryClient.OCTET_STREAM).body(blob).send();
        assertEquals(201, done.status(), done.toString());
        assertEquals(202, alice.startUpload(repo).status());

        for (String location : open) {
            alice.request("DELETE", location).send();
        }
    }

    /**
     * A streamed PATCH (chunked, no length, as docker sends a layer) into a project with 1 MiB of
     * room: after 2 MiB, and without the rest of the body, Berth answers with the quota refusal;
     * the session and its bytes are gone and a small push still fits. (Before issue 14 the bytes
     * were all stored, the PATCH answered 202, and only the commit was refused.)
     */
    @Test
    void streamedPatchPastTheProjectQuotaIsRefusedAndReleased() throws IOException {
        String project = project();
        RegistryClient dev = maintainerOf(project);
        String authorization = lastAuthorization;
        admin(200, "PUT", "/api/v1/projects/" + project + "/quota", "{\"limit_bytes\":" + MIB + "}");
        String repo = project + "/big";
        String location = dev.startUpload(repo).relativeLocation();

        String answer = patchWithoutEnd(location, authorization, 2 * MIB);
        assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
        assertTrue(answer.contains("\"DENIED\""), answer);
        assertTrue(answer.contains("quota exceeded: project '" + project + "' limit " + MIB + " bytes, used 0 bytes"), answer);

        assertError(dev.request("GET", location).send(), 404, "BLOB_UPLOAD_UNKNOWN");
        assertFalse(Files.exists(uploadFolder(location)), "the session's bytes are released: " + uploadFolder(location));
        byte[] small = random(4096);
        assertEquals(201, dev.uploadBlob(repo, RegistryClient.sha256(small), small).status(), "a small push still fits");
    }

    /**
     * Sends a PATCH with a chunked body of which only {@code sent} bytes ever come (the body never
     * ends, as a 50 GiB layer would not for a long time) and returns the answer (status line,
     * headers and body as far as they arrive), which must come while the body is still open.
     */
    private String patchWithoutEnd(String location, String authorization, long sent) throws IOException {
        try (Socket socket = new Socket("localhost", base().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (long n = 0; n < sent; n += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.UTF_8).contains("}]}")) {
                        break; // the whole error body
                    }
                }
            } catch (SocketTimeoutException e) {
                // what came is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void patchWhoseContentLengthAloneExceedsTheQuotaIsRefused() {
        String project = project();
        RegistryClient dev = maintainerOf(project);
        admin(200, "PUT", "/api/v1/projects/" + project + "/quota", "{\"limit_bytes\":" + MIB + "}");
        String repo = project + "/declared";
        String location = dev.startUpload(repo).relativeLocation();
        RegistryClient.Response first = dev.request("PATCH", location).contentType(RegistryClient.OCTET_STREAM)
                .header("Content-Range", "0-99").body(random(100)).send();
        assertEquals(202, first.status(), first.toString());

        RegistryClient.Response refused = dev.request("PATCH", first.relativeLocation()).contentType(RegistryClient.OCTET_STREAM)
                .body(random((int) (2 * MIB))).send();
        assertError(refused, 403, "DENIED");
        assertTrue(refused.bodyText().contains("needs at least " + (100 + 2 * MIB) + " more"), refused.bodyText());
        assertError(dev.request("GET", location).send(), 404, "BLOB_UPLOAD_UNKNOWN");
        assertFalse(Files.exists(uploadFolder(location)));

        byte[] fits = random((int) MIB - 10_000);
        assertEquals(201, dev.uploadBlobStreamed(repo, RegistryClient.sha256(fits), fits).status(), "up to the room still streams");
    }
}
