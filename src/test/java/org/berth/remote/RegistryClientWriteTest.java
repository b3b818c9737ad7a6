package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.remote.RemoteFailure.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;

/** Token scopes of writes, mounts, manifest PUT and DELETE. */
class RegistryClientWriteTest {

    static final String REPO = "team/app";
    static final String FROM = "base/img";
    static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    static final String MANIFEST_DIGEST = Digest.sha256(MANIFEST).toString();
    static final String BLOB = "sha256:" + "c".repeat(64);

    private FakeUpstream upstream;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    // ------------------------------------------------------------------ token scopes

    /**
     * A token registry: the token is "tok " + the scopes it was issued for; a request passes when its
     * token holds what the method needs (pull for GET and HEAD, push for the rest). The challenge
     * names only {@code challengeScope}, as a registry that repeats the scope it saw last.
     */
    private void tokenRegistry(String challengeScope) {
        upstream.on("/token", ex -> {
            StringBuilder scopes = new StringBuilder();
            for (String p : ex.getRequestURI().getQuery().split("&")) {
                if (p.startsWith("scope=")) {
                    scopes.append(scopes.length() > 0 ? " " : "").append(p.substring(6));
                }
            }
            FakeUpstream.json(ex, 200, "{\"token\":\"tok " + scopes + "\"}");
        });
        FakeUpstream.Handler guarded = ex -> {
            String auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
            String method = ex.getRequestMethod();
            boolean write = !(method.equals("GET") || method.equals("HEAD"));
            String needed = "repository:" + REPO + ":" + (write ? "pull,push" : "pull");
            if (!auth.startsWith("Bearer tok ") || !auth.contains(needed)) {
                FakeUpstream.error(ex, 401, "UNAUTHORIZED", "token needed", "WWW-Authenticate", "Bearer realm=\"" + upstream.url()
                        + "/token\",service=\"fake\",scope=\"" + challengeScope + "\"");
                return;
            }
            if (ex.getRequestURI().getPath().endsWith("/blobs/uploads/")) {
                FakeUpstream.send(ex, ex.getRequestURI().getQuery() != null ? 201 : 202, null, new byte[0],
                        "Location", "/v2/" + REPO + "/blobs/uploads/u1");
            } else if (ex.getRequestURI().getPath().endsWith("/u1")) {
                FakeUpstream.send(ex, 201, null, new byte[0]);
            } else {
                FakeUpstream.send(ex, 201, null, new byte[0], "Docker-Content-Digest", MANIFEST_DIGEST);
            }
        };
        upstream.on("/v2/" + REPO + "/manifests/v1", guarded);
        upstream.on("/v2/" + REPO + "/blobs/uploads/", guarded);
        upstream.on("/v2/" + REPO + "/blobs/uploads/u1", guarded);
    }

    private List<String> tokenScopes() {
        return upstream.seen("/token").stream().map(s -> s.query().replace("service=fake&", "")).toList();
    }

    @Test
    void aPushAsksForPullAndPushEvenWhenTheChallengeNamesOnlyPull() throws Exception {
        tokenRegistry("repository:" + REPO + ":pull");

        client.putManifest(upstream.anonymous(), REPO, "v1", MediaTypes.OCI_MANIFEST, MANIFEST);

        assertEquals(List.of("scope=repository%3Ateam%2Fapp%3Apull%2Cpush"), tokenScopes());
    }

    @Test
    void aPullTokenIsNotUsedForAPushAWiderOneIsFetched() throws Exception {
        tokenRegistry("repository:" + REPO + ":pull");
        upstream.on("/v2/" + REPO + "/manifests/latest", ex -> {
            String auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
            if (auth.startsWith("Bearer tok ")) {
                FakeUpstream.send(ex, 200, MediaTypes.OCI_MANIFEST, MANIFEST);
            } else {
                FakeUpstream.error(ex, 401, "UNAUTHORIZED", "t", "WWW-Authenticate", "Bearer realm=\"" + upstream.url()
                        + "/token\",service=\"fake\",scope=\"repository:" + REPO + ":pull\"");
            }
        });

        client.getManifest(upstream.anonymous(), REPO, "latest");
        client.putManifest(upstream.anonymous(), REPO, "v1", MediaTypes.OCI_MANIFEST, MANIFEST);

        assertEquals(List.of("scope=repository%3Ateam%2Fapp%3Apull", "scope=repository%3Ateam%2Fapp%3Apull%2Cpush"), tokenScopes());
        assertEquals(1, upstream.seen("/v2/" + REPO + "/manifests/v1").size(), "the PUT went with the wider token straight away");
    }

    @Test
    void aBlobPushAfterAReadNeverSendsThePullToken() throws Exception {
        tokenRegistry("repository:" + REPO + ":pull,push");
        // a token that only holds pull is kept from a read; the registry would refuse it for the write
        upstream.on("/v2/" + REPO + "/tags/list", ex -> {
            String auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
            if (auth.startsWith("Bearer tok ")) {
                FakeUpstream.json(ex, 200, "{\"tags\":[]}");
            } else {
                FakeUpstream.error(ex, 401, "UNAUTHORIZED", "t", "WWW-Authenticate", "Bearer realm=\"" + upstream.url()
                        + "/token\",service=\"fake\",scope=\"repository:" + REPO + ":pull\"");
            }
        });
        client.listTags(upstream.anonymous(), REPO, 0, null);

        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, Digest.sha256(new byte[0]).toString(),
                BlobSource.of(new byte[0]), BlobPush.defaults());

        assertEquals(0, pushed.size());
        assertTrue(tokenScopes().contains("scope=repository%3Ateam%2Fapp%3Apull%2Cpush"), tokenScopes().toString());
        upstream.seen("/v2/" + REPO + "/blobs/uploads/").forEach(s ->
                assertTrue(s.header("Authorization").map(a -> a.contains("pull,push")).orElse(true), "never the pull token"));
    }

    @Test
    void aMountAsksForPushHereAndPullThere() throws Exception {
        tokenRegistry("repository:" + REPO + ":pull,push");

        assertTrue(client.mountBlob(upstream.anonymous(), REPO, BLOB, FROM));

        assertEquals(List.of("scope=repository%3Ateam%2Fapp%3Apull%2Cpush&scope=repository%3Abase%2Fimg%3Apull"), tokenScopes());
        FakeUpstream.Seen post = upstream.seen("/v2/" + REPO + "/blobs/uploads/").get(1);
        assertEquals("POST", post.method());
        assertEquals("mount=sha256%3A" + "c".repeat(64) + "&from=base%2Fimg", post.query());
    }

    // ------------------------------------------------------------------ mounts

    @Test
    void aMountTheRegistryCannotDoCancelsTheUploadItStarted() throws Exception {
        upstream.on("/v2/" + REPO + "/blobs/uploads/", ex -> FakeUpstream.send(ex, 202, null, new byte[0],
                "Location", "/v2/" + REPO + "/blobs/uploads/started?_state=x", "Range", "0-0"));
        upstream.on("/v2/" + REPO + "/blobs/uploads/started", ex -> FakeUpstream.send(ex, 204, null, new byte[0]));

        assertFalse(client.mountBlob(upstream.anonymous(), REPO, BLOB, FROM));

        List<FakeUpstream.Seen> cancel = upstream.seen("/v2/" + REPO + "/blobs/uploads/started");
        assertEquals(1, cancel.size());
        assertEquals("DELETE", cancel.get(0).method());
        assertEquals("_state=x", cancel.get(0).query());
    }

    @Test
    void aMountOfAnotherDigestIsInvalid() {
        upstream.on("/v2/" + REPO + "/blobs/uploads/", ex -> FakeUpstream.send(ex, 201, null, new byte[0],
                "Docker-Content-Digest", "sha256:" + "d".repeat(64)));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.mountBlob(upstream.anonymous(), REPO, BLOB, FROM));

        assertEquals(Reason.INVALID, f.reason());
    }

    // ------------------------------------------------------------------ manifests

    @Test
    void aManifestPutSendsItsTypeAndChecksTheReportedDigest() throws Exception {
        String subject = "sha256:" + "e".repeat(64);
        upstream.on("/v2/" + REPO + "/manifests/v1", ex -> FakeUpstream.send(ex, 201, null, new byte[0],
                "Docker-Content-Digest", MANIFEST_DIGEST, "OCI-Subject", subject));
        upstream.on("/v2/" + REPO + "/manifests/v2", ex -> FakeUpstream.send(ex, 201, null, new byte[0],
                "Docker-Content-Digest", "sha256:" + "f".repeat(64)));
        upstream.on("/v2/" + REPO + "/manifests/" + MANIFEST_DIGEST, ex -> FakeUpstream.send(ex, 201, null, new byte[0]));

        PushedManifest pushed = client.putManifest(upstream.anonymous(), REPO, "v1", MediaTypes.OCI_MANIFEST, MANIFEST);
        RemoteFailure wrong = assertThrows(RemoteFailure.class,
                () -> client.putManifest(upstream.anonymous(), REPO, "v2", MediaTypes.OCI_MANIFEST, MANIFEST));
        PushedManifest byDigest = client.putManifest(upstream.anonymous(), REPO, MANIFEST_DIGEST, MediaTypes.OCI_MANIFEST, MANIFEST);

        assertEquals(new PushedManifest(MANIFEST_DIGEST, Optional.of(subject)), pushed);
        FakeUpstream.Seen put = upstream.seen("/v2/" + REPO + "/manifests/v1").get(0);
        assertEquals("PUT", put.method());
        assertEquals(MediaTypes.OCI_MANIFEST, put.header("Content-Type").orElse(""));
        assertArrayEquals(MANIFEST, put.body());
        assertEquals(Reason.INVALID, wrong.reason());
        assertTrue(wrong.getMessage().contains("not the digest of the bytes"), wrong.getMessage());
        assertEquals(new PushedManifest(MANIFEST_DIGEST, Optional.empty()), byDigest, "no header: the bytes' own digest");
        assertThrows(IllegalArgumentException.class,
                () -> client.putManifest(upstream.anonymous(), REPO, "sha256:" + "a".repeat(64), MediaTypes.OCI_MANIFEST, MANIFEST));
    }

    @Test
    void aManifestPutIsRetriedOnAGatewayErrorAsItIsIdempotent() throws Exception {
        int[] calls = {0};
        upstream.on("/v2/" + REPO + "/manifests/v1", ex -> {
            if (calls[0]++ == 0) {
                FakeUpstream.error(ex, 503, "UNAVAILABLE", "busy");
            } else {
                FakeUpstream.send(ex, 201, null, new byte[0], "Docker-Content-Digest", MANIFEST_DIGEST);
            }
        });

        assertEquals(MANIFEST_DIGEST, client.putManifest(upstream.anonymous(), REPO, "v1", MediaTypes.OCI_MANIFEST, MANIFEST).digest());
        assertEquals(2, upstream.seen("/v2/" + REPO + "/manifests/v1").size());
        assertArrayEquals(MANIFEST, upstream.seen("/v2/" + REPO + "/manifests/v1").get(1).body(), "the body sent again whole");
    }

    @Test
    void deletingAManifestTellsWhetherItWasThere() throws Exception {
        String gone = "sha256:" + "9".repeat(64);
        upstream.on("/v2/" + REPO + "/manifests/" + MANIFEST_DIGEST, ex -> FakeUpstream.send(ex, 202, null, new byte[0]));
        upstream.on("/v2/" + REPO + "/manifests/" + gone, ex -> FakeUpstream.error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown"));
        upstream.on("/v2/" + REPO + "/manifests/" + BLOB, ex -> FakeUpstream.error(ex, 405, "UNSUPPORTED", "deletes are disabled"));

        assertTrue(client.deleteManifest(upstream.anonymous(), REPO, MANIFEST_DIGEST));
        assertFalse(client.deleteManifest(upstream.anonymous(), REPO, gone));
        RemoteFailure disabled = assertThrows(RemoteFailure.class, () -> client.deleteManifest(upstream.anonymous(), REPO, BLOB));

        assertEquals("DELETE", upstream.seen("/v2/" + REPO + "/manifests/" + MANIFEST_DIGEST).get(0).method());
        assertEquals(405, disabled.status());
        assertTrue(disabled.getMessage().contains("UNSUPPORTED"), disabled.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.deleteManifest(upstream.anonymous(), REPO, "v1"));
    }

    @Test
    void aDeleteAsksForTheDeleteScope() throws Exception {
        upstream.on("/token", ex -> FakeUpstream.json(ex, 200, "{\"token\":\"t-" + ex.getRequestURI().getQuery().length() + "\"}"));
        upstream.on("/v2/" + REPO + "/manifests/" + MANIFEST_DIGEST, (HttpExchange ex) -> {
            if (ex.getRequestHeaders().getFirst("Authorization") == null) {
                FakeUpstream.error(ex, 401, "UNAUTHORIZED", "t", "WWW-Authenticate", "Bearer realm=\"" + upstream.url()
                        + "/token\",service=\"fake\"");
            } else {
                FakeUpstream.send(ex, 202, null, new byte[0]);
            }
        });

        assertTrue(client.deleteManifest(upstream.anonymous(), REPO, MANIFEST_DIGEST));

        assertEquals(List.of("scope=repository%3Ateam%2Fapp%3Adelete"), tokenScopes());
    }

}
