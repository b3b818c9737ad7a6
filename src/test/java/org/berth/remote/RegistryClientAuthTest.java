package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.remote.RemoteFailure.Reason;
import org.berth.support.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;

/** Docker's token flow, Basic, and that no secret leaks into a message. */
class RegistryClientAuthTest {

    static final String MANIFEST_PATH = "/v2/library/nginx/manifests/1.27";
    static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}").getBytes(StandardCharsets.UTF_8);
    static final String USER = "alice";
    static final String PASSWORD = "s3cret-Passw0rd";
    static final String TOKEN = "tok-9f8e7d6c5b4a";

    private final ManualClock clock = new ManualClock();
    private FakeUpstream upstream;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(1)), clock);
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The manifest for {@code Bearer TOKEN}, else a Bearer challenge naming the realm on the same server. */
    private void bearerProtectedManifest() {
        upstream.on(MANIFEST_PATH, ex -> {
            if (("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                FakeUpstream.send(ex, 200, MediaTypes.OCI_MANIFEST, MANIFEST, "Docker-Content-Digest", Digest.sha256(MANIFEST).toString());
            } else {
                challenge(ex);
            }
        });
    }

    private void challenge(HttpExchange ex) throws java.io.IOException {
        FakeUpstream.error(ex, 401, "UNAUTHORIZED", "authentication required", "WWW-Authenticate",
                "Bearer realm=\"" + upstream.url() + "/token\",service=\"fake.registry\",scope=\"repository:library/nginx:pull\"");
    }

    @Test
    void anonymousTokenFlowFetchesOneTokenAndReusesIt() throws Exception {
        bearerProtectedManifest();
        upstream.on("/token", ex -> FakeUpstream.json(ex, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}"));

        RemoteManifest first = client.getManifest(upstream.anonymous(), "library/nginx", "1.27");
        RemoteManifest second = client.getManifest(upstream.anonymous(), "library/nginx", "1.27");

        assertArrayEquals(MANIFEST, first.bytes());
        assertArrayEquals(MANIFEST, second.bytes());
        List<FakeUpstream.Seen> tokenRequests = upstream.seen("/token");
        assertEquals(1, tokenRequests.size(), "the second call uses the kept token");
        assertEquals("service=fake.registry&scope=repository%3Alibrary%2Fnginx%3Apull", tokenRequests.get(0).query());
        assertEquals(Optional.empty(), tokenRequests.get(0).header("Authorization"), "anonymous: no credentials to the realm");
        // 401, then with the token; the second call signs in straight away
        List<FakeUpstream.Seen> manifestRequests = upstream.seen(MANIFEST_PATH);
        assertEquals(3, manifestRequests.size());
        assertEquals(Optional.empty(), manifestRequests.get(0).header("Authorization"));
        assertEquals(Optional.of("Bearer " + TOKEN), manifestRequests.get(2).header("Authorization"));
    }

    @Test
    void tokenFlowWithCredentialsSendsBasicToTheRealmOnly() throws Exception {
        bearerProtectedManifest();
        upstream.on("/token", ex -> {
            if (basic(USER, PASSWORD).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                FakeUpstream.json(ex, 200, "{\"access_token\":\"" + TOKEN + "\"}");
            } else {
                FakeUpstream.error(ex, 401, "UNAUTHORIZED", "bad credentials");
            }
        });
        RemoteRegistry r = upstream.withCredentials(USER, PASSWORD);

        client.getManifest(r, "library/nginx", "1.27");
        client.headManifest(r, "library/nginx", "1.27");

        List<FakeUpstream.Seen> tokenRequests = upstream.seen("/token");
        assertEquals(1, tokenRequests.size());
        assertEquals(Optional.of(basic(USER, PASSWORD)), tokenRequests.get(0).header("Authorization"));
        assertTrue(upstream.seen(MANIFEST_PATH).stream()
                .allMatch(s -> s.header("Authorization").map(a -> a.startsWith("Bearer ")).orElse(true)),
                "the registry itself never gets the password");
    }

    @Test
    void aTokenIsFetchedAgainShortlyBeforeItExpires() throws Exception {
        bearerProtectedManifest();
        upstream.on("/token", ex -> FakeUpstream.json(ex, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":60}"));
        RemoteRegistry r = upstream.anonymous();

        client.getManifest(r, "library/nginx", "1.27");
        clock.advance(Duration.ofSeconds(30));
        client.getManifest(r, "library/nginx", "1.27");
        assertEquals(1, upstream.seen("/token").size());
        clock.advance(Duration.ofSeconds(25)); // 55 s of 60: inside the safety margin
        client.getManifest(r, "library/nginx", "1.27");
        assertEquals(2, upstream.seen("/token").size());
    }

    @Test
    void refusedCredentialsAtTheRealmAreAuthWithoutThePassword() {
        bearerProtectedManifest();
        upstream.on("/token", ex -> FakeUpstream.error(ex, 401, "UNAUTHORIZED", "bad credentials"));

        RemoteFailure f = assertThrows(RemoteFailure.class,
                () -> client.getManifest(upstream.withCredentials(USER, "wrong-" + PASSWORD), "library/nginx", "1.27"));

        assertEquals(Reason.AUTH, f.reason());
        assertEquals(401, f.status());
        assertEquals(1, upstream.seen("/token").size(), "AUTH is not retried");
        assertFalse(f.toString().contains(PASSWORD), f.toString());
    }

    @Test
    void aTokenTheRegistryStillRefusesIsAuth() {
        upstream.on(MANIFEST_PATH, this::challenge);
        upstream.on("/token", ex -> FakeUpstream.json(ex, 200, "{\"token\":\"" + TOKEN + "\"}"));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "library/nginx", "1.27"));

        assertEquals(Reason.AUTH, f.reason());
        assertEquals(2, upstream.seen(MANIFEST_PATH).size(), "one retry with the token, no more");
    }

    @Test
    void basicChallengeIsAnsweredWithTheCredentialsAndRemembered() throws Exception {
        upstream.on("/v2/", ex -> {
            if (basic(USER, PASSWORD).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                FakeUpstream.json(ex, 200, "{}");
            } else {
                FakeUpstream.error(ex, 401, "UNAUTHORIZED", "authentication required", "WWW-Authenticate", "Basic realm=\"Registry Realm\"");
            }
        });
        RemoteRegistry r = upstream.withCredentials(USER, PASSWORD);

        client.ping(r);
        client.ping(r);

        List<FakeUpstream.Seen> seen = upstream.seen("/v2/");
        assertEquals(3, seen.size());
        assertEquals(Optional.empty(), seen.get(0).header("Authorization"), "no credentials before a challenge");
        assertEquals(Optional.of(basic(USER, PASSWORD)), seen.get(1).header("Authorization"));
        assertEquals(Optional.of(basic(USER, PASSWORD)), seen.get(2).header("Authorization"));

        RemoteFailure wrong = assertThrows(RemoteFailure.class, () -> client.ping(upstream.withCredentials(USER, "nope-nope")));
        assertEquals(Reason.AUTH, wrong.reason());
        RemoteFailure none = assertThrows(RemoteFailure.class, () -> client.ping(upstream.anonymous()));
        assertEquals(Reason.AUTH, none.reason());
        assertEquals(401, none.status());
    }

    @Test
    void aRealmThatIsNotHttpIsRefused() {
        upstream.on(MANIFEST_PATH, ex -> FakeUpstream.error(ex, 401, "UNAUTHORIZED", "x", "WWW-Authenticate",
                "Bearer realm=\"file:///etc/passwd\",service=\"s\""));

        RemoteFailure f = assertThrows(RemoteFailure.class,
                () -> client.getManifest(upstream.withCredentials(USER, PASSWORD), "library/nginx", "1.27"));

        assertEquals(Reason.INVALID, f.reason());
        assertTrue(f.getMessage().contains("realm"), f.getMessage());
    }

    @Test
    void noMessageNorToStringShowsThePasswordOrTheToken() throws Exception {
        // a hostile upstream echoes what it was sent into its error messages
        upstream.on(MANIFEST_PATH, ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                challenge(ex);
            } else {
                FakeUpstream.error(ex, 403, "DENIED", "you sent " + auth.substring(7) + " for " + PASSWORD);
            }
        });
        upstream.on("/token", ex -> FakeUpstream.json(ex, 200, "{\"token\":\"" + TOKEN + "\"}"));
        upstream.on("/v2/library/nginx/blobs/sha256:" + "a".repeat(64),
                ex -> FakeUpstream.error(ex, 404, "BLOB_UNKNOWN", "no " + PASSWORD + " here", "WWW-Authenticate", "Basic realm=\"x\""));
        RemoteRegistry r = upstream.withCredentials(USER, PASSWORD);

        RemoteFailure denied = assertThrows(RemoteFailure.class, () -> client.getManifest(r, "library/nginx", "1.27"));
        RemoteFailure missing = assertThrows(RemoteFailure.class, () -> client.headBlob(r, "library/nginx", "sha256:" + "a".repeat(64)));
        RemoteFailure blob = assertThrows(RemoteFailure.class, () -> client.getBlob(r, "library/nginx", "sha256:" + "a".repeat(64)));

        assertEquals(Reason.AUTH, denied.reason());
        assertTrue(denied.getMessage().contains("DENIED"), denied.getMessage());
        assertEquals(Reason.NOT_FOUND, missing.reason());
        assertEquals(Reason.NOT_FOUND, blob.reason());
        for (Object shown : List.of(denied.getMessage(), denied.toString(), missing.toString(), blob.getMessage(), r.toString())) {
            assertFalse(shown.toString().contains(PASSWORD), shown.toString());
            assertFalse(shown.toString().contains(TOKEN), shown.toString());
            assertFalse(shown.toString().contains(Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
        }
    }
}
