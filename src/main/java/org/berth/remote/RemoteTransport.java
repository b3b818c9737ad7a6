package org.berth.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.remote.RemoteFailure.Reason;

/**
 * Sends one request to a remote registry the way Docker does: retried with backoff when it is
 * idempotent and the failure may pass, signed in when challenged (Bearer token flow or Basic), and
 * with redirects followed by hand (at most {@link #MAX_REDIRECTS}), the {@code Authorization}
 * header dropped when a redirect leaves the origin (S3 presigned URLs refuse a second signature).
 */
final class RemoteTransport implements AutoCloseable {

    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<Integer> RETRIED_STATUSES = Set.of(502, 503, 504);

    /**
     * One request.
     *
     * @param scope      the token scope(s) it needs, space separated ({@code repository:a/b:pull,push}); null for {@code /v2/}
     * @param accept     the Accept header, or null
     * @param headers    further request headers (Content-Type, Content-Range), name then value
     * @param body       what is sent, or null for no body
     * @param timeout    until the answer's headers arrived, sending the body included; null for the response timeout
     * @param idempotent retried like a GET when the failure may pass (a manifest PUT, a DELETE)
     * @param bulk       a blob's body, sent by {@link BulkGet}
     */
    record Call(String method, URI uri, String scope, String accept, List<String> headers, Body body, Duration timeout,
            boolean idempotent, boolean bulk) {

        Call {
            headers = List.copyOf(headers);
        }

        Call(String method, URI uri, String scope, String accept, List<String> headers, Body body, Duration timeout,
             boolean idempotent) {
            this(method, uri, scope, accept, headers, body, timeout, idempotent, false);
        }

        /** A read: GET or HEAD with the repository's pull scope. */
        Call(String method, URI uri, String repository, String accept) {
            this(method, uri, repository, accept, false);
        }

        /** A read; {@code bulk} for a blob's body. */
        Call(String method, URI uri, String repository, String accept, boolean bulk) {
            this(method, uri, TokenScopes.pull(repository), accept, List.of(), null, null,
                    "GET".equals(method) || "HEAD".equals(method), bulk);
        }
    }

    /** A request body that can be sent again (after a 401 or a redirect): each call opens it anew. */
    interface Body {
        HttpRequest.BodyPublisher open() throws IOException;
    }

    /** Reads a 2xx answer; closes its body unless it hands the body on (a streaming blob). */
    @FunctionalInterface
    interface Reader<T> {
        T read(HttpResponse<InputStream> response) throws IOException, RemoteFailure;
    }

    /** The sign-in a registry asked for, remembered so later requests sign in without a 401 first. */
    private record Remembered(AuthChallenge challenge) {
    }

    private record Origin(String name, URI url, String username) {
        static Origin of(RemoteRegistry r) {
            return new Origin(r.name(), r.url(), r.username().orElse(""));
        }
    }

    private final RegistryClient.Settings settings;
    private final String userAgent;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient verifying;
    private volatile HttpClient trusting;
    private final BearerTokens tokens;
    private final ReadDeadlines reads;
    private final ConcurrentMap<Origin, Remembered> challenges = new ConcurrentHashMap<>();

    RemoteTransport(RegistryClient.Settings settings, String userAgent, Clock clock) {
        this.settings = settings;
        this.userAgent = userAgent;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "berth-remote-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.verifying = builder().build();
        this.reads = new ReadDeadlines(settings.responseTimeout());
        this.tokens = new BearerTokens((r, uri, authorization) -> follow(r, new Call("GET", uri, null, null), authorization),
                reads, clock);
    }

    private HttpClient.Builder builder() {
        // HTTP/1.1: one connection per blob stream, no h2c upgrade attempts on plain http.
        // The default ProxySelector honours -Dhttps.proxyHost and friends for egress proxies.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .proxy(ProxySelector.getDefault())
                .executor(executor);
    }

    private HttpClient client(RemoteRegistry r) {
        if (r.verifyTls()) {
            return verifying;
        }
        HttpClient c = trusting;
        if (c == null) {
            synchronized (this) {
                c = trusting;
                if (c == null) {
                    c = builder().sslContext(InsecureTls.context()).build();
                    trusting = c;
                }
            }
        }
        return c;
    }

    /** Sends the call (retrying GET and HEAD when the failure may pass) and reads the 2xx answer. */
    <T> T call(RemoteRegistry r, Call call, Reader<T> reader) throws RemoteFailure {
        boolean idempotent = call.idempotent();
        for (int attempt = 1;; attempt++) {
            try {
                HttpResponse<InputStream> response = signedIn(r, call);
                try {
                    return reader.read(response);
                } catch (IOException e) {
                    close(response);
                    throw UpstreamFailures.of(call.method(), response.uri(), e);
                } catch (RemoteFailure | RuntimeException e) {
                    close(response);
                    throw e;
                }
            } catch (RemoteFailure f) {
                if (!idempotent || attempt >= settings.attempts() || !mayPass(f)) {
                    throw f;
                }
                if (!sleep(backoff(attempt))) {
                    throw f;
                }
            }
        }
    }

    /** A refused or reset connection, or a gateway's 502/503/504; never a timeout (it already took long), 429 or 4xx. */
    static boolean mayPass(RemoteFailure f) {
        return f.reason() == Reason.UNREACHABLE || RETRIED_STATUSES.contains(f.status());
    }

    /** base * 2^(attempt-1), with jitter: a random point in its upper half. */
    Duration backoff(int attempt) {
        long base = settings.backoff().toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private HttpResponse<InputStream> signedIn(RemoteRegistry r, Call call) throws RemoteFailure {
        // an upload's Location may name another host: credentials stay with the registry, as on redirects
        boolean ours = sameOrigin(r.url(), call.uri());
        Optional<String> authorization = ours ? remembered(r, call) : Optional.empty();
        HttpResponse<InputStream> response = follow(r, call, authorization);
        if (response.statusCode() == 401 && ours) {
            List<AuthChallenge> offered = AuthChallenge.parse(response.headers().allValues("WWW-Authenticate"));
            RemoteFailure refused = failure(r, call.method(), response, authorization);
            Optional<String> answer = answer(r, call, offered, authorization, refused);
            if (answer.isEmpty()) {
                throw refused;
            }
            response = follow(r, call, answer);
            authorization = answer;
        }
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        throw failure(r, call.method(), response, authorization);
    }

    /** The Authorization for a challenge, or empty when there is nothing (more) to sign in with. */
    private Optional<String> answer(RemoteRegistry r, Call call, List<AuthChallenge> offered, Optional<String> sent,
            RemoteFailure refused) throws RemoteFailure {
        Optional<AuthChallenge> bearer = offered.stream().filter(AuthChallenge::isBearer).findFirst();
        if (bearer.isPresent()) {
            AuthChallenge c = bearer.get();
            String realm = c.param("realm").orElseThrow(() -> new RemoteFailure(Reason.INVALID, 401,
                    UpstreamFailures.where(call.method(), call.uri()) + ": 401 Bearer challenge without a realm"));
            URI realmUri = realmUri(realm, call);
            // what the registry asks for and what this call needs: a registry that challenges a push
            // with only the pull scope it saw before still gets a token that may push
            String scope = TokenScopes.union(c.param("scope").orElse(null), call.scope());
            challenges.put(Origin.of(r), new Remembered(c));
            BearerTokens.Key key = BearerTokens.key(r, realmUri.toString(), c.param("service").orElse(null), scope);
            Optional<String> rejected = sent.filter(s -> s.startsWith("Bearer ")).map(s -> s.substring(7));
            return Optional.of("Bearer " + tokens.token(r, key, rejected));
        }
        boolean basic = offered.stream().anyMatch(AuthChallenge::isBasic);
        if (basic && r.hasCredentials()) {
            challenges.put(Origin.of(r), new Remembered(new AuthChallenge("basic", Map.of())));
            Optional<String> credentials = BearerTokens.basic(r);
            return credentials.equals(sent) ? Optional.empty() : credentials;
        }
        return Optional.empty();
    }

    /**
     * After a registry challenged once, later requests sign in straight away: Basic to the
     * registry that asked for it, or a token for this call's scope (kept or fetched). Credentials
     * still go only where a challenge asked for them.
     */
    private Optional<String> remembered(RemoteRegistry r, Call call) throws RemoteFailure {
        Remembered m = challenges.get(Origin.of(r));
        if (m == null) {
            return Optional.empty();
        }
        if (m.challenge().isBasic()) {
            return BearerTokens.basic(r);
        }
        AuthChallenge c = m.challenge();
        URI realmUri = realmUri(c.param("realm").orElseThrow(), call);
        BearerTokens.Key key = BearerTokens.key(r, realmUri.toString(), c.param("service").orElse(null), call.scope());
        return Optional.of("Bearer " + tokens.token(r, key, Optional.empty()));
    }

    /** The realm must be an absolute http(s) URL: a token request carries the credentials. */
    private static URI realmUri(String realm, Call call) throws RemoteFailure {
        try {
            URI uri = new URI(realm);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new RemoteFailure(Reason.INVALID, 401,
                UpstreamFailures.where(call.method(), call.uri()) + ": 401 token realm is not an http(s) URL");
    }

    /** Sends the call, following redirects; returns the first answer that is not a redirect. */
    HttpResponse<InputStream> follow(RemoteRegistry r, Call call, Optional<String> authorization) throws RemoteFailure {
        URI uri = call.uri();
        Optional<String> auth = authorization;
        for (int hop = 0;; hop++) {
            HttpResponse<InputStream> response = send(r, call, uri, auth);
            if (!REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            Optional<String> location = response.headers().firstValue("Location");
            int status = response.statusCode();
            close(response);
            if (location.isEmpty()) {
                throw UpstreamFailures.invalid(call.method(), uri, status, "redirect without Location");
            }
            if (hop >= MAX_REDIRECTS) {
                throw UpstreamFailures.invalid(call.method(), uri, status, "more than " + MAX_REDIRECTS + " redirects");
            }
            URI next;
            try {
                next = uri.resolve(new URI(location.get()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw UpstreamFailures.invalid(call.method(), uri, status, "redirect to an invalid URL");
            }
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
                throw UpstreamFailures.invalid(call.method(), uri, status, "redirect to a URL that is not http(s)");
            }
            if (!sameOrigin(uri, next)) {
                auth = Optional.empty(); // as Docker: credentials stay with the registry
            }
            uri = next;
        }
    }

    /** Same scheme, host and port (a default port written or not); false for a URI without scheme or host. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private HttpResponse<InputStream> send(RemoteRegistry r, Call call, URI uri, Optional<String> authorization)
            throws RemoteFailure {
        if (call.bulk()) {
            Map<String, String> headers = new HashMap<>();
            headers.put("User-Agent", userAgent);
            authorization.ifPresent(a -> headers.put("Authorization", a));
            try {
                return BulkGet.send(uri, headers, settings, r.verifyTls());
            } catch (IOException e) {
                throw UpstreamFailures.of(call.method(), uri, e);
            }
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .timeout(call.timeout() != null ? call.timeout() : settings.responseTimeout())
                    .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().open())
                    .header("User-Agent", userAgent);
        } catch (IOException e) {
            throw new RemoteFailure(Reason.INVALID, 0, UpstreamFailures.where(call.method(), uri) + ": " + e.getMessage(), null, e);
        }
        if (call.accept() != null) {
            request.header("Accept", call.accept());
        }
        for (int i = 0; i + 1 < call.headers().size(); i += 2) {
            request.header(call.headers().get(i), call.headers().get(i + 1));
        }
        authorization.ifPresent(a -> request.header("Authorization", a));
        try {
            return client(r).send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UploadBody.SourceFailure local) {
                    // not the registry's fault, and not worth retrying against it
                    throw new RemoteFailure(Reason.INVALID, 0, UpstreamFailures.where(call.method(), uri) + ": "
                            + local.getMessage(), null, local);
                }
            }
            throw UpstreamFailures.of(call.method(), uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteFailure(Reason.UNREACHABLE, 0, UpstreamFailures.where(call.method(), uri) + ": interrupted");
        }
    }

    private RemoteFailure failure(RemoteRegistry r, String method, HttpResponse<InputStream> response,
            Optional<String> authorization) {
        List<String> secrets = new ArrayList<>();
        r.password().ifPresent(secrets::add);
        authorization.ifPresent(a -> secrets.add(a.substring(a.indexOf(' ') + 1)));
        return UpstreamFailures.of(method, response, reads.errorBody(method, response), clock.instant(), secrets);
    }

    /** At most {@code max + 1} bytes of a body, read within the response timeout; closes it. */
    byte[] read(HttpResponse<InputStream> response, int max) throws IOException {
        return reads.readUpTo(response.body(), max);
    }

    /** A body to stream, given up on when the upstream sends nothing for the response timeout. */
    InputStream streaming(HttpResponse<InputStream> response) {
        return reads.idleLimited(response.body());
    }

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing a body we gave up on
        }
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        tokens.clear();
        challenges.clear();
        reads.close();
        executor.shutdownNow();
    }
}
