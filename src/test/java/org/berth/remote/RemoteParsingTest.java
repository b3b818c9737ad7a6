package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The header grammars the client reads, without a server. */
class RemoteParsingTest {

    @Test
    void bearerChallengeParams() {
        List<AuthChallenge> c = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\""));

        assertEquals(1, c.size());
        assertTrue(c.get(0).isBearer());
        assertEquals(Optional.of("https://auth.docker.io/token"), c.get(0).param("realm"));
        assertEquals(Optional.of("registry.docker.io"), c.get(0).param("service"));
        assertEquals(Optional.of("repository:library/nginx:pull"), c.get(0).param("scope"));
    }

    @Test
    void severalChallengesQuotedEscapesAndTokens() {
        List<AuthChallenge> c = AuthChallenge.parse(List.of(
                "Basic realm=\"a \\\"quoted\\\" realm\", BEARER realm=https://x/t, service=s", "Negotiate"));

        assertEquals(List.of("basic", "bearer", "negotiate"), c.stream().map(AuthChallenge::scheme).toList());
        assertEquals(Optional.of("a \"quoted\" realm"), c.get(0).param("realm"));
        assertEquals(Map.of("realm", "https://x/t", "service", "s"), c.get(1).params());
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), UpstreamFailures.retryAfter(headers("Retry-After", "120"), now));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                UpstreamFailures.retryAfter(headers("Retry-After", "Thu, 03 Dec 2026 12:01:30 GMT"), now));
        assertEquals(Optional.of(Duration.ZERO), UpstreamFailures.retryAfter(headers("Retry-After", "Thu, 03 Dec 2026 11:00:00 GMT"), now));
        assertEquals(Optional.empty(), UpstreamFailures.retryAfter(headers("Retry-After", "soon"), now));
        assertEquals(Optional.empty(), UpstreamFailures.retryAfter(headers("X", "1"), now));
    }

    @Test
    void nextPageFromTheLinkHeader() {
        assertEquals(Optional.of("v1.2+x"), RegistryClient.nextLast(List.of("</v2/a/tags/list?n=50&last=v1.2%2Bx>; rel=\"next\"")));
        assertEquals(Optional.empty(), RegistryClient.nextLast(List.of("</v2/a/tags/list?n=50&last=b>; rel=\"prev\"")));
        assertEquals(Optional.empty(), RegistryClient.nextLast(List.of()));
    }

    @Test
    void ociErrorBodiesAreShortenedAndOtherBodiesIgnored() {
        String body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"" + "x".repeat(500) + "\"}]}";
        String shown = UpstreamFailures.ociError(body.getBytes());
        assertTrue(shown.startsWith("DENIED: xxx") && shown.length() < 220, shown);
        assertEquals("", UpstreamFailures.ociError("<html>oops</html>".getBytes()));
        assertEquals("", UpstreamFailures.ociError("{\"errors\":[{\"code\":\"not a code; rm -rf\"}]}".getBytes()));
    }

    @Test
    void messagesNameTheRequestButNotTheQuery() {
        String where = UpstreamFailures.where("GET", URI.create("https://bucket.s3.example:8443/blob?X-Amz-Signature=secret"));
        assertEquals("GET https://bucket.s3.example:8443/blob", where);
    }

    @Test
    void aRegistryIsAnHttpUrlAndHidesItsPassword() {
        RemoteRegistry r = new RemoteRegistry("hub", URI.create("https://registry-1.docker.io/"), Optional.of("u"),
                Optional.of("hunter2-pw"), true);
        assertFalse(r.toString().contains("hunter2-pw"), r.toString());
        assertEquals(URI.create("https://registry-1.docker.io/v2/"), r.resolve("/v2/"));
        assertThrows(IllegalArgumentException.class, () -> RemoteRegistry.anonymous("x", URI.create("ftp://host"), true));
        assertThrows(IllegalArgumentException.class, () -> RemoteRegistry.anonymous("x", URI.create("https://u:p@host"), true));
        assertThrows(IllegalArgumentException.class, () -> RemoteRegistry.anonymous("x", URI.create("/relative"), true));
    }

    @Test
    void onlyRefusedConnectionsAndGatewayErrorsMayPass() {
        assertTrue(RemoteTransport.mayPass(new RemoteFailure(RemoteFailure.Reason.UNREACHABLE, 0, "m")));
        assertTrue(RemoteTransport.mayPass(new RemoteFailure(RemoteFailure.Reason.SERVER_ERROR, 502, "m")));
        assertFalse(RemoteTransport.mayPass(new RemoteFailure(RemoteFailure.Reason.SERVER_ERROR, 500, "m")));
        assertFalse(RemoteTransport.mayPass(new RemoteFailure(RemoteFailure.Reason.TIMEOUT, 0, "m")));
        assertFalse(RemoteTransport.mayPass(new RemoteFailure(RemoteFailure.Reason.RATE_LIMITED, 429, "m")));
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }

    @Test
    void anOriginIsSchemeHostAndPortWithTheDefaultPortWrittenOrNot() {
        assertTrue(RemoteTransport.sameOrigin(URI.create("http://Registry.example:80/v2/a/blobs/uploads/1"),
                URI.create("http://registry.example/v2/")));
        assertTrue(RemoteTransport.sameOrigin(URI.create("https://registry.example/v2/x"), URI.create("https://registry.example:443/")));
        assertFalse(RemoteTransport.sameOrigin(URI.create("https://registry.example/v2/x"), URI.create("http://registry.example/")));
        assertFalse(RemoteTransport.sameOrigin(URI.create("http://registry.example:5001/x"), URI.create("http://registry.example:5000/")));
        assertFalse(RemoteTransport.sameOrigin(URI.create("http://elsewhere.example/x"), URI.create("http://registry.example/")));
        // a kept upload location read back from the database may be anything
        assertFalse(RemoteTransport.sameOrigin(URI.create("/v2/a/blobs/uploads/1"), URI.create("http://registry.example/")));
        assertFalse(RemoteTransport.sameOrigin(URI.create("mailto:someone"), URI.create("http://registry.example/")));
    }
}
