package org.berth.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

import org.berth.remote.RemoteFailure.Reason;

/**
 * Docker's token flow (distribution's "Token Authentication Specification"): a GET of the
 * challenge's realm with its service and scope, signed in with Basic when the endpoint has
 * credentials, answering {@code token} or {@code access_token} and {@code expires_in}. Tokens are
 * kept per endpoint, credentials, realm, service and scope until shortly before they expire;
 * concurrent requests for one key fetch it once.
 */
final class BearerTokens {

    static final int MAX_TOKEN_RESPONSE = 64 * 1024;
    /** The spec's default lifetime, also Docker's minimum. */
    static final long MIN_LIFETIME_SECONDS = 60;
    private static final int MAX_KEPT = 10_000;

    /** The GET of a realm URL, redirects followed; the answer's body is the caller's to close. */
    @FunctionalInterface
    interface Realm {
        HttpResponse<InputStream> get(RemoteRegistry registry, URI uri, Optional<String> authorization) throws RemoteFailure;
    }

    /** What a token is kept by. {@code credentials} is a fingerprint, never the password. */
    record Key(String registry, URI url, String username, String credentials, String realm, String service, String scope) {
    }

    private record Token(String value, Instant refreshAt) {
    }

    private final Realm realm;
    private final ReadDeadlines reads;
    private final Clock clock;
    private final ConcurrentMap<Key, Token> tokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Object> fetching = new ConcurrentHashMap<>();

    BearerTokens(Realm realm, ReadDeadlines reads, Clock clock) {
        this.realm = realm;
        this.reads = reads;
        this.clock = clock;
    }

    static Key key(RemoteRegistry r, String realm, String service, String scope) {
        return new Key(r.name(), r.url(), r.username().orElse(""), fingerprint(r), realm, service == null ? "" : service,
                scope == null ? "" : scope);
    }

    /** A token still good for the key, if one is kept. */
    Optional<String> kept(Key key) {
        Token t = tokens.get(key);
        return t != null && clock.instant().isBefore(t.refreshAt) ? Optional.of(t.value) : Optional.empty();
    }

    /**
     * A token for the key: the kept one unless it is {@code rejected} (the upstream just refused it),
     * else a new one from the realm.
     */
    String token(RemoteRegistry r, Key key, Optional<String> rejected) throws RemoteFailure {
        Object lock = fetching.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                Optional<String> kept = kept(key);
                if (kept.isPresent() && !kept.equals(rejected)) {
                    return kept.get();
                }
                tokens.remove(key);
                Token fresh = fetch(r, key);
                if (tokens.size() >= MAX_KEPT) {
                    Instant now = clock.instant();
                    tokens.values().removeIf(t -> !now.isBefore(t.refreshAt));
                }
                tokens.put(key, fresh);
                return fresh.value;
            }
        } finally {
            fetching.remove(key, lock);
        }
    }

    void clear() {
        tokens.clear();
    }

    private Token fetch(RemoteRegistry r, Key key) throws RemoteFailure {
        URI uri = tokenUri(key);
        Optional<String> basic = basic(r);
        HttpResponse<InputStream> response = realm.get(r, uri, basic);
        List<String> secrets = r.password().map(List::of).orElse(List.of());
        if (response.statusCode() != 200) {
            RemoteFailure f = UpstreamFailures.of("GET", response, reads.errorBody("GET", response), clock.instant(), secrets);
            if (f.reason() == Reason.AUTH) {
                throw new RemoteFailure(Reason.AUTH, f.status(), "token " + f.getMessage()
                        + (r.hasCredentials() ? " (credentials refused)" : " (anonymous)"));
            }
            throw new RemoteFailure(f.reason(), f.status(), "token " + f.getMessage(), f.retryAfter().orElse(null), null);
        }
        byte[] body;
        try {
            body = reads.readUpTo(response.body(), MAX_TOKEN_RESPONSE);
        } catch (IOException e) {
            throw UpstreamFailures.of("GET", uri, e);
        }
        if (body.length > MAX_TOKEN_RESPONSE) {
            throw UpstreamFailures.invalid("GET", uri, 200, "token response larger than " + MAX_TOKEN_RESPONSE + " bytes");
        }
        JsonObject json = BoundedBody.objectOrNull(body);
        String token = json == null ? null : Optional.ofNullable(BoundedBody.string(json, "token"))
                .filter(t -> !t.isEmpty()).orElse(BoundedBody.string(json, "access_token"));
        if (token == null || token.isEmpty()) {
            throw UpstreamFailures.invalid("GET", uri, 200, "token response without token or access_token");
        }
        long lifetime = MIN_LIFETIME_SECONDS;
        if (json.get("expires_in") instanceof JsonNumber n && n.isIntegral()) {
            lifetime = Math.max(MIN_LIFETIME_SECONDS, Math.min(n.longValue(), Duration.ofDays(1).toSeconds()));
        }
        // refresh a little early so a token never expires between the check and the upstream's
        long margin = Math.min(30, lifetime / 5);
        return new Token(token, clock.instant().plusSeconds(lifetime - margin));
    }

    /** realm?service=..&scope=..: one scope parameter per space-separated scope, as Docker sends them. */
    static URI tokenUri(Key key) {
        List<String> params = new ArrayList<>();
        if (!key.service().isEmpty()) {
            params.add("service=" + URLEncoder.encode(key.service(), StandardCharsets.UTF_8));
        }
        for (String scope : key.scope().split(" ")) {
            if (!scope.isEmpty()) {
                params.add("scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
            }
        }
        String realm = key.realm();
        return URI.create(params.isEmpty() ? realm : realm + (realm.contains("?") ? "&" : "?") + String.join("&", params));
    }

    static Optional<String> basic(RemoteRegistry r) {
        if (!r.hasCredentials()) {
            return Optional.empty();
        }
        String pair = r.username().get() + ":" + r.password().get();
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** Tells credentials apart (a changed password gets new tokens) without keeping the password. */
    private static String fingerprint(RemoteRegistry r) {
        if (!r.hasCredentials()) {
            return "";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest((r.username().get() + "\0" + r.password().get()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
