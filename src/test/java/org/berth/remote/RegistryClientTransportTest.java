package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.berth.remote.RemoteFailure.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Redirects, retries, timeouts, refused connections, and TLS without verification. */
class RegistryClientTransportTest {

    static final String DIGEST = "sha256:" + "b".repeat(64);
    static final String BLOB_PATH = "/v2/team/app/blobs/" + DIGEST;
    static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);

    private FakeUpstream upstream;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofMillis(500), 3, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    @Test
    void aRedirectToAnotherPortIsFollowedWithoutAuthorization() throws Exception {
        try (FakeUpstream storage = FakeUpstream.start()) {
            storage.on("/bucket/blob", ex -> FakeUpstream.send(ex, 200, "application/octet-stream", BLOB));
            upstream.on("/v2/", ex -> {
                if (ex.getRequestHeaders().getFirst("Authorization") == null) {
                    FakeUpstream.error(ex, 401, "UNAUTHORIZED", "sign in", "WWW-Authenticate", "Basic realm=\"r\"");
                } else {
                    FakeUpstream.json(ex, 200, "{}");
                }
            });
            // same origin first (keeps Authorization), then to the storage (drops it)
            upstream.on(BLOB_PATH, ex -> FakeUpstream.send(ex, 307, null, new byte[0], "Location", "/moved" + ex.getRequestURI().getPath()));
            upstream.on("/moved" + BLOB_PATH, ex -> FakeUpstream.send(ex, 302, null, new byte[0],
                    "Location", storage.url() + "/bucket/blob?X-Amz-Signature=abc123"));
            RemoteRegistry r = upstream.withCredentials("bob", "pw-of-bob");
            client.ping(r); // learns that the registry wants Basic

            byte[] body;
            long size;
            try (RemoteBlob blob = client.getBlob(r, "team/app", DIGEST)) {
                size = blob.size();
                body = blob.body().readAllBytes();
            }

            assertArrayEquals(BLOB, body);
            assertEquals(BLOB.length, size);
            assertTrue(upstream.seen(BLOB_PATH).get(0).header("Authorization").isPresent());
            assertTrue(upstream.seen("/moved" + BLOB_PATH).get(0).header("Authorization").isPresent(), "same origin keeps it");
            FakeUpstream.Seen atStorage = storage.seen("/bucket/blob").get(0);
            assertEquals(Optional.empty(), atStorage.header("Authorization"));
            assertEquals("X-Amz-Signature=abc123", atStorage.query());
        }
    }

    @Test
    void moreThanFiveRedirectsAreInvalid() {
        upstream.on(BLOB_PATH, ex -> FakeUpstream.send(ex, 302, null, new byte[0], "Location", BLOB_PATH));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.getBlob(upstream.anonymous(), "team/app", DIGEST));

        assertEquals(Reason.INVALID, f.reason());
        assertEquals(6, upstream.seen(BLOB_PATH).size(), "the request and five redirects");
    }

    @Test
    void rateLimitedCarriesRetryAfterAndIsNotRetried() {
        upstream.on(BLOB_PATH, ex -> FakeUpstream.error(ex, 429, "TOOMANYREQUESTS", "slow down", "Retry-After", "37"));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.headBlob(upstream.anonymous(), "team/app", DIGEST));

        assertEquals(Reason.RATE_LIMITED, f.reason());
        assertEquals(429, f.status());
        assertEquals(Optional.of(Duration.ofSeconds(37)), f.retryAfter());
        assertEquals(1, upstream.seen(BLOB_PATH).size());
    }

    @Test
    void a503IsRetriedUntilItPasses() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        upstream.on(BLOB_PATH, ex -> {
            if (calls.incrementAndGet() < 3) {
                FakeUpstream.error(ex, 503, "UNAVAILABLE", "busy");
            } else {
                FakeUpstream.send(ex, 200, "application/octet-stream", BLOB);
            }
        });

        assertEquals(BLOB.length, client.headBlob(upstream.anonymous(), "team/app", DIGEST));
        assertEquals(3, upstream.seen(BLOB_PATH).size());
    }

    @Test
    void a503ThatStaysIsAServerErrorAfterTheAttempts() {
        upstream.on(BLOB_PATH, ex -> FakeUpstream.error(ex, 503, "UNAVAILABLE", "busy"));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.getBlob(upstream.anonymous(), "team/app", DIGEST));

        assertEquals(Reason.SERVER_ERROR, f.reason());
        assertEquals(503, f.status());
        assertTrue(f.getMessage().contains("503 UNAVAILABLE: busy"), f.getMessage());
        assertEquals(3, upstream.seen(BLOB_PATH).size());
    }

    @Test
    void notFoundAndInternalErrorsAreNotRetried() {
        upstream.on("/v2/team/app/manifests/v1", ex -> FakeUpstream.error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown"));
        upstream.on("/v2/team/app/manifests/v2", ex -> FakeUpstream.error(ex, 500, "UNKNOWN", "boom"));

        RemoteFailure missing = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "team/app", "v1"));
        RemoteFailure broken = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "team/app", "v2"));

        assertEquals(Reason.NOT_FOUND, missing.reason());
        assertEquals(404, missing.status());
        assertTrue(missing.getMessage().endsWith("/v2/team/app/manifests/v1: 404 MANIFEST_UNKNOWN: manifest unknown"), missing.getMessage());
        assertEquals(Reason.SERVER_ERROR, broken.reason());
        assertEquals(1, upstream.seen("/v2/team/app/manifests/v1").size());
        assertEquals(1, upstream.seen("/v2/team/app/manifests/v2").size());
    }

    @Test
    void noAnswerInTimeIsATimeoutAndNotRetried() {
        upstream.on(BLOB_PATH, ex -> {
            try {
                TimeUnit.SECONDS.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        long started = System.nanoTime();
        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.getBlob(upstream.anonymous(), "team/app", DIGEST));

        assertEquals(Reason.TIMEOUT, f.reason());
        assertEquals(0, f.status());
        assertEquals(1, upstream.seen(BLOB_PATH).size());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "the response timeout, 500 ms, applies");
    }

    @Test
    void aBlobBodySlowerThanTheResponseTimeoutStillStreams() throws Exception {
        upstream.on(BLOB_PATH, ex -> {
            ex.sendResponseHeaders(200, 3);
            try (java.io.OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    out.write('x');
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(400); // 1.2 s in all, the response timeout is 500 ms
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        try (RemoteBlob blob = client.getBlob(upstream.anonymous(), "team/app", DIGEST)) {
            assertEquals(3, blob.size());
            assertEquals("xxx", new String(blob.body().readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    @Timeout(10) // without the read limits this would wait for ever on the missing bytes
    void aBodyThatStallsIsATimeout() throws Exception {
        FakeUpstream.Handler stall = ex -> {
            ex.sendResponseHeaders(200, 100);
            try (java.io.OutputStream out = ex.getResponseBody()) {
                out.write("{\"tags\":[".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                TimeUnit.SECONDS.sleep(3);
            } catch (InterruptedException | java.io.IOException e) {
                // the client hung up
            }
        };
        upstream.on("/v2/team/app/tags/list", stall);
        upstream.on(BLOB_PATH, stall);

        long started = System.nanoTime();
        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.listTags(upstream.anonymous(), "team/app", 0, null));
        assertEquals(Reason.TIMEOUT, f.reason());
        assertEquals(1, upstream.seen("/v2/team/app/tags/list").size(), "a timeout is not retried");
        try (RemoteBlob blob = client.getBlob(upstream.anonymous(), "team/app", DIGEST)) {
            assertThrows(java.net.http.HttpTimeoutException.class, () -> blob.body().readAllBytes());
        }
        assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(2500), "two limits of 500 ms, not the 3 s stalls");
    }

    @Test
    void aRefusedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RemoteRegistry closed = RemoteRegistry.anonymous("closed", URI.create("http://127.0.0.1:" + port), true);

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.ping(closed));

        assertEquals(Reason.UNREACHABLE, f.reason());
        assertEquals(0, f.status());
    }

    @Test
    void tlsIsVerifiedUnlessTurnedOff(@TempDir Path dir) throws Exception {
        // a self-signed certificate for a name that is not 127.0.0.1: only verify_tls=false accepts it
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=upstream.invalid",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);

        try (FakeUpstream tls = FakeUpstream.startTls(context)) {
            tls.on("/v2/", ex -> FakeUpstream.json(ex, 200, "{}"));
            RemoteRegistry verified = RemoteRegistry.anonymous("tls", tls.url(), true);
            RemoteRegistry unverified = RemoteRegistry.anonymous("tls", tls.url(), false);

            RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.ping(verified));
            client.ping(unverified);

            assertEquals(Reason.UNREACHABLE, f.reason());
            assertTrue(f.getMessage().contains("TLS"), f.getMessage());
            assertEquals(1, tls.seen("/v2/").size(), "only the unverified ping got through");
            assertTrue(tls.url().getScheme().equals("https"));
        }
    }

    @Test
    void everyRequestNamesBerthAsItsUserAgent() throws Exception {
        upstream.on("/v2/", ex -> FakeUpstream.json(ex, 200, "{}"));

        client.ping(upstream.anonymous());

        List<FakeUpstream.Seen> seen = upstream.seen("/v2/");
        assertTrue(seen.get(0).header("User-Agent").orElse("").startsWith("Berth/"), seen.get(0).header("User-Agent").toString());
        assertFalse(seen.get(0).header("Authorization").isPresent());
    }
}
