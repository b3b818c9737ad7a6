package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.basic;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** System information, /health, /metrics and /openapi on the deployed WAR (Berth at context root /). */
class OpsIT extends ITBase {

    private AdminClient api;

    @BeforeEach
    void client() {
        api = new AdminClient(base());
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void systemInfoTellsAdministratorsEverything() {
        HttpResponse<String> r = api.get("api/v1/systeminfo", ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject info = object(r);
        assertTrue(info.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), info.toString());
        JsonObject storage = info.getJsonObject("storage");
        assertFalse(storage.getString("root").isEmpty());
        long free = storage.getJsonNumber("free_bytes").longValue();
        long total = storage.getJsonNumber("total_bytes").longValue();
        assertTrue(free > 0 && total >= free, storage.toString());
        assertTrue(storage.getJsonNumber("used_bytes").longValue() >= 0);
        assertEquals(System.getProperty("berth.it.database", "H2"), info.getJsonObject("database").getString("kind"));
        assertFalse(info.getJsonObject("database").getString("version").isEmpty());
        JsonObject counts = info.getJsonObject("counts");
        for (String key : List.of("users", "projects", "repositories", "artifacts", "blobs")) {
            assertTrue(counts.getJsonNumber(key).longValue() >= 0, key);
        }
        assertTrue(counts.getJsonNumber("users").longValue() >= 1, "admin exists");
        assertTrue(counts.getJsonNumber("projects").longValue() >= 1, "library exists");
    }

    @Test
    void systemInfoCountsANewUser() {
        long before = object(api.get("api/v1/systeminfo", ADMIN)).getJsonObject("counts").getJsonNumber("users").longValue();
        String name = unique("u");
        assertEquals(201, api.send("POST", "api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"pw-" + name + "-1\"}", ADMIN)
                .statusCode());
        long after = object(api.get("api/v1/systeminfo", ADMIN)).getJsonObject("counts").getJsonNumber("users").longValue();
        assertTrue(after >= before + 1, before + " -> " + after);
    }

    @Test
    void othersLearnOnlyTheVersion() {
        String name = unique("u");
        assertEquals(201, api.send("POST", "api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"pw-" + name + "-1\"}", ADMIN)
                .statusCode());
        HttpResponse<String> r = api.get("api/v1/systeminfo", basic(name, "pw-" + name + "-1"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("version"), List.copyOf(object(r).keySet()));
        assertEquals(401, api.get("api/v1/systeminfo", null).statusCode());
    }

    @Test
    void healthIsUpWithDatabaseAndStorageChecks() {
        HttpResponse<String> r = api.get("health", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject health = object(r);
        assertEquals("UP", health.getString("status"));
        List<String> up = health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> "UP".equals(c.getString("status"))).map(c -> c.getString("name")).toList();
        assertTrue(up.contains("database") && up.contains("storage"), r.body());
        assertFalse(r.body().contains("/"), "no path is told to anonymous callers: " + r.body());
    }

    @Test
    void metricsCountRequestsByRouteTemplateNotByRepository() {
        String repository = "library/" + unique("metrics");
        HttpResponse<String> missing = api.get("v2/" + repository + "/manifests/latest", ADMIN);
        assertEquals(404, missing.statusCode());

        HttpResponse<String> r = api.get("metrics", null);
        assertEquals(200, r.statusCode());
        String metrics = r.body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("berth_requests_total{")
                && l.contains("route=\"/v2/{name}/manifests/{reference}\"") && l.contains("status=\"404\"")
                && l.contains("method=\"GET\"")), metrics);
        assertTrue(metrics.contains("berth_request_duration_seconds_count{"), "durations");
        assertTrue(metrics.contains("berth_sent_bytes_total{"), "bytes out");
        assertTrue(metrics.contains("berth_storage_used_bytes"), "storage used");
        assertFalse(metrics.contains(repository), "no repository name in a label");
    }

    @Test
    void metricsCountReceivedBytesOfUploads() {
        String repository = "library/" + unique("up");
        byte[] blob = ("hello metrics " + repository).getBytes(StandardCharsets.UTF_8);
        uploadInOneRequest(repository, blob);
        String metrics = api.get("metrics", null).body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("berth_received_bytes_total{")
                && l.contains("route=\"/v2/{name}/blobs/uploads\"")), metrics);
    }

    /** A blob GET of 1 MiB leaves by sendfile, outside the servlet stream, and still counts as bytes out. */
    @Test
    void metricsCountBytesOfBlobsSentByFileTransfer() {
        String repository = "library/" + unique("sent");
        byte[] blob = new byte[1 << 20];
        new java.util.Random(7).nextBytes(blob);
        uploadInOneRequest(repository, blob);
        double before = blobBytesSent();
        HttpResponse<byte[]> got = api.sendBytes(HttpRequest.newBuilder(
                        api.uri("v2/" + repository + "/blobs/" + sha256(blob)))
                // HTTP/1.1 as docker speaks it (the JDK client would try h2c, whose bodies are always copied)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .header("Authorization", ADMIN).GET().build());
        assertEquals(200, got.statusCode());
        assertEquals(blob.length, got.body().length);
        assertTrue(blobBytesSent() - before >= blob.length, "bytes out of the blob route grew by the blob's size");
    }

    /** More than the socket buffers of both ends hold, so that the server is still sending when the client stops. */
    private static final int BIG_BLOB = 24 << 20;

    private record Uploaded(String repository, String digest) {
    }

    /** {@link #BIG_BLOB} random bytes uploaded to a new repository. */
    private Uploaded uploadBigBlob(String prefix, long seed) {
        String repository = "library/" + unique(prefix);
        byte[] blob = new byte[BIG_BLOB];
        new java.util.Random(seed).nextBytes(blob);
        uploadInOneRequest(repository, blob);
        return new Uploaded(repository, sha256(blob));
    }

    @Test
    void aClientThatHangsUpMidBlobIsCountedAsAHangUp() throws Exception {
        Uploaded blob = uploadBigBlob("hangup", 11);
        double before = blobHangUps();
        try (Socket socket = openBlobGet(blob.repository(), blob.digest())) {
            socket.getInputStream().readNBytes(64 * 1024);
            socket.setSoLinger(true, 0); // a reset, as from a killed docker pull
        }
        assertTrue(awaitBlobHangUps(before + 1), "berth_client_hangups_total of the blob route grew by one");
        // and the server carries on serving the same blob whole
        assertEquals(BIG_BLOB, api.sendBytes(HttpRequest.newBuilder(api.uri("v2/" + blob.repository() + "/blobs/" + blob.digest()))
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .header("Authorization", ADMIN).GET().build()).body().length);
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAfterTheSendTimeout() throws Exception {
        // BERTH_SEND_TIMEOUT is 10 seconds for the integration tests (the default is 60)
        Uploaded blob = uploadBigBlob("stall", 13);
        double before = blobHangUps();
        try (Socket socket = openBlobGet(blob.repository(), blob.digest())) {
            long started = System.nanoTime();
            assertTrue(awaitBlobHangUps(before + 1), "the stalled transfer was given up and counted");
            long waited = (System.nanoTime() - started) / 1_000_000_000;
            assertTrue(waited >= 9, "given up after the send timeout, not before: " + waited + " s");
            // What was in the socket buffers arrives, then the connection ends short of the blob.
            long received = 0;
            try (InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            } catch (java.net.SocketException reset) {
                // a reset instead of an end of stream: closed just the same
            }
            assertTrue(received < BIG_BLOB, "the connection was closed before the whole blob: " + received);
        }
    }

    /** A GET of the blob as the administrator on a raw HTTP/1.1 connection, read up to the end of the headers. */
    private Socket openBlobGet(String repository, String digest) throws IOException {
        URI base = base();
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(120_000);
        socket.setReceiveBufferSize(64 * 1024);
        String request = "GET /v2/" + repository + "/blobs/" + digest + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\nAuthorization: " + ADMIN + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head);
            }
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        return socket;
    }

    /** berth_client_hangups_total of the blob route, 0 before the first. */
    private double blobHangUps() {
        return api.get("metrics", null).body().lines()
                .filter(l -> l.startsWith("berth_client_hangups_total{") && l.contains("route=\"/v2/{name}/blobs/{digest}\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Whether the blob route's hang-ups reach {@code count} within 60 seconds. */
    private boolean awaitBlobHangUps(double count) throws InterruptedException {
        for (long end = System.nanoTime() + 60_000_000_000L; System.nanoTime() < end; Thread.sleep(250)) {
            if (blobHangUps() >= count) {
                return true;
            }
        }
        return false;
    }

    /** POST ?digest= with the whole blob (OCI end-4b), as the administrator. */
    private void uploadInOneRequest(String repository, byte[] blob) {
        HttpResponse<byte[]> posted = api.sendBytes(HttpRequest.newBuilder(
                        api.uri("v2/" + repository + "/blobs/uploads/?digest=" + sha256(blob)))
                .header("Authorization", ADMIN)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build());
        assertEquals(201, posted.statusCode());
    }

    /** berth_sent_bytes_total of the blob route, 0 before its first byte. */
    private double blobBytesSent() {
        return api.get("metrics", null).body().lines()
                .filter(l -> l.startsWith("berth_sent_bytes_total{") && l.contains("route=\"/v2/{name}/blobs/{digest}\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void openApiDocumentsTheAdministrationApiOnly() {
        HttpResponse<String> r = api.get("openapi", null);
        assertEquals(200, r.statusCode());
        String document = r.body();
        assertTrue(document.contains("/api/v1/audit-logs:"), document);
        assertTrue(document.contains("/api/v1/systeminfo:"));
        assertTrue(document.contains("/api/v1/projects/{project}/members:") || document.contains("\"/api/v1/projects/{project}/members\":"));
        assertTrue(document.contains("Berth administration API"));
        assertFalse(document.lines().anyMatch(l -> l.startsWith("  /v2")), "the OCI API is not part of it");
        assertFalse(document.contains("/service/token:"));
    }
}
