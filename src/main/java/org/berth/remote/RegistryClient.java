package org.berth.remote;

import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.remote.RemoteTransport.Call;

/**
 * The one outgoing client Berth talks to other registries with (the proxy cache now, replication
 * later): the Distribution API's reads, Docker's token flow and Basic, redirects to blob storage,
 * and retries of idempotent requests. Thread-safe; one instance serves every endpoint.
 * Repository names are the upstream's ({@code library/nginx}); nothing is rewritten.
 */
public final class RegistryClient implements AutoCloseable {

    /** The largest manifest accepted, as Distribution's own limit. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** The largest tag list page read. */
    public static final int MAX_TAG_LIST_BYTES = 1024 * 1024;

    /** Every manifest and index type Berth stores (schema 1 is not asked for). */
    static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);

    /**
     * The client's settings.
     *
     * @param connectTimeout  to open a connection
     * @param responseTimeout until the answer's headers arrived; then again for reading a whole small body
     *                        (manifest, tag list, token), and for each wait on a streaming blob's next bytes
     * @param attempts        tries of a GET or HEAD in all, when the failure may pass (refused, 502/503/504)
     * @param backoff         the wait before the second try, doubling for each next, with jitter
     */
    public record Settings(Duration connectTimeout, Duration responseTimeout, int attempts, Duration backoff) {

        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
            Objects.requireNonNull(backoff, "backoff");
            if (attempts < 1 || connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
                    || responseTimeout.isZero() || backoff.isNegative()) {
                throw new IllegalArgumentException("attempts >= 1, timeouts > 0, backoff >= 0");
            }
        }

        /** Connect 5 s, response 20 s, 3 attempts, backoff 200 ms. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(20), 3, Duration.ofMillis(200));
        }
    }

    private final RemoteTransport transport;

    public RegistryClient(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    RegistryClient(Settings settings, Clock clock) {
        String version = Optional.ofNullable(RegistryClient.class.getPackage().getImplementationVersion()).orElse("dev");
        this.transport = new RemoteTransport(Objects.requireNonNull(settings, "settings"), "Berth/" + version, clock);
    }

    /** GET /v2/: reachable and the credentials accepted (the "test connection"). */
    public void ping(RemoteRegistry r) throws RemoteFailure {
        transport.call(r, new Call("GET", r.resolve("/v2/"), null, null), response -> {
            transport.read(response, UpstreamFailures.MAX_ERROR_BODY); // read, so the connection can be reused
            return null;
        });
    }

    /** HEAD of a manifest by tag or digest (Accept: every manifest and index type). Never counted as a pull by Docker Hub. */
    public RemoteManifest.Head headManifest(RemoteRegistry r, String repository, String reference) throws RemoteFailure {
        Call call = new Call("HEAD", manifestUri(r, repository, reference), repository, MANIFEST_ACCEPT);
        return transport.call(r, call, response -> {
            RemoteTransport.close(response);
            HttpHeaders headers = response.headers();
            String digest = headerDigest(call, response).orElse(null);
            if (digest == null && Digest.looksLikeDigest(reference)) {
                digest = reference;
            }
            if (digest == null) {
                throw UpstreamFailures.invalid("HEAD", response.uri(), response.statusCode(), "without Docker-Content-Digest");
            }
            String mediaType = contentType(headers).orElseThrow(() ->
                    UpstreamFailures.invalid("HEAD", response.uri(), response.statusCode(), "without Content-Type"));
            return new RemoteManifest.Head(digest, mediaType, contentLength(headers).orElse(-1));
        });
    }

    /**
     * GET of a manifest: bytes capped at {@link #MAX_MANIFEST_BYTES} (more = INVALID); digest =
     * Docker-Content-Digest when sent (and it must match the bytes), else sha256 of the bytes. When
     * the reference is a digest, the bytes must match it.
     */
    public RemoteManifest getManifest(RemoteRegistry r, String repository, String reference) throws RemoteFailure {
        Call call = new Call("GET", manifestUri(r, repository, reference), repository, MANIFEST_ACCEPT);
        return transport.call(r, call, response -> {
            int status = response.statusCode();
            if (contentLength(response.headers()).orElse(0) > MAX_MANIFEST_BYTES) {
                RemoteTransport.close(response);
                throw UpstreamFailures.invalid("GET", response.uri(), status, "manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            byte[] bytes = transport.read(response, MAX_MANIFEST_BYTES);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw UpstreamFailures.invalid("GET", response.uri(), status, "manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            Optional<String> sent = headerDigest(call, response);
            if (sent.isPresent() && !sent.get().equals(digestOf(sent.get(), bytes))) {
                throw UpstreamFailures.invalid("GET", response.uri(), status,
                        "Docker-Content-Digest " + sent.get() + " does not match the bytes");
            }
            if (Digest.looksLikeDigest(reference) && !reference.equals(digestOf(reference, bytes))) {
                throw UpstreamFailures.invalid("GET", response.uri(), status, "manifest bytes do not match " + reference);
            }
            String digest = sent.orElseGet(() -> Digest.sha256(bytes).toString());
            String mediaType = contentType(response.headers()).filter(t -> !t.equals("application/json"))
                    .or(() -> mediaTypeField(bytes))
                    .orElseThrow(() -> UpstreamFailures.invalid("GET", response.uri(), status, "manifest without a media type"));
            return new RemoteManifest(digest, mediaType, bytes);
        });
    }

    /** HEAD of a blob: its size. */
    public long headBlob(RemoteRegistry r, String repository, String digest) throws RemoteFailure {
        Call call = new Call("HEAD", blobUri(r, repository, digest), repository, null);
        return transport.call(r, call, response -> {
            RemoteTransport.close(response);
            return contentLength(response.headers()).orElseThrow(() ->
                    UpstreamFailures.invalid("HEAD", response.uri(), response.statusCode(), "blob without Content-Length"));
        });
    }

    /**
     * GET of a blob, streaming: returns once the headers arrived. Redirects are followed
     * ({@code Authorization} dropped when the host changes). The caller verifies the digest and closes it.
     */
    public RemoteBlob getBlob(RemoteRegistry r, String repository, String digest) throws RemoteFailure {
        Call call = new Call("GET", blobUri(r, repository, digest), repository, null, true);
        return transport.call(r, call, response -> new RemoteBlob(transport.streaming(response), contentLength(response.headers()).orElse(-1)));
    }

    /**
     * One page of tags: GET /v2/&lt;repo&gt;/tags/list?n=&amp;last=. {@code n <= 0} leaves the page size to
     * the upstream; {@code last} may be null.
     */
    public TagPage listTags(RemoteRegistry r, String repository, int n, String last) throws RemoteFailure {
        List<String> query = new ArrayList<>();
        if (n > 0) {
            query.add("n=" + n);
        }
        if (last != null && !last.isEmpty()) {
            query.add("last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        URI uri = r.resolve("/v2/" + repository(repository) + "/tags/list" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        return transport.call(r, new Call("GET", uri, repository, null), response -> {
            byte[] bytes = transport.read(response, MAX_TAG_LIST_BYTES);
            int status = response.statusCode();
            if (bytes.length > MAX_TAG_LIST_BYTES) {
                throw UpstreamFailures.invalid("GET", response.uri(), status, "tag list larger than " + MAX_TAG_LIST_BYTES + " bytes");
            }
            JsonObject json = BoundedBody.objectOrNull(bytes);
            if (json == null) {
                throw UpstreamFailures.invalid("GET", response.uri(), status, "tag list is not a JSON object");
            }
            List<String> tags = new ArrayList<>();
            JsonValue value = json.get("tags");
            if (value instanceof JsonArray array) {
                for (JsonValue tag : array) {
                    if (!(tag instanceof JsonString s)) {
                        throw UpstreamFailures.invalid("GET", response.uri(), status, "tag list holds a non-string");
                    }
                    tags.add(s.getString());
                }
            } else if (value != null && value != JsonValue.NULL) {
                throw UpstreamFailures.invalid("GET", response.uri(), status, "tag list without a tags array");
            }
            return new TagPage(tags, nextLast(response.headers().allValues("Link")));
        });
    }

    /** The {@code last} of a {@code Link: <...?n=..&last=..>; rel="next"} header. */
    static Optional<String> nextLast(List<String> links) {
        for (String link : links) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                String target = m.group(1);
                int q = target.indexOf('?');
                for (String param : q < 0 ? new String[0] : target.substring(q + 1).split("&")) {
                    if (param.startsWith("last=")) {
                        return Optional.of(URLDecoder.decode(param.substring(5), StandardCharsets.UTF_8)).filter(s -> !s.isEmpty());
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        transport.close();
    }

    // ------------------------------------------------------------------ requests and headers

    private static URI manifestUri(RemoteRegistry r, String repository, String reference) {
        if (reference == null || !(TAG.matcher(reference).matches() || isDigest(reference))) {
            throw new IllegalArgumentException("not a tag or digest: " + reference);
        }
        return r.resolve("/v2/" + repository(repository) + "/manifests/" + reference);
    }

    private static URI blobUri(RemoteRegistry r, String repository, String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a digest: " + digest);
        }
        return r.resolve("/v2/" + repository(repository) + "/blobs/" + digest);
    }

    /** The digest of the bytes with the algorithm of the given (valid) digest. */
    private static String digestOf(String digest, byte[] bytes) {
        return Digest.of(Digest.parse(digest).algorithm(), bytes).toString();
    }

    private static boolean isDigest(String value) {
        try {
            Digest.parse(value);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }

    private static String repository(String repository) {
        try {
            return RepositoryName.parse(repository).value();
        } catch (RegistryException e) {
            throw new IllegalArgumentException("not a repository name: " + repository, e);
        }
    }

    /** Docker-Content-Digest when sent; a malformed one is INVALID. */
    private static Optional<String> headerDigest(Call call, HttpResponse<InputStream> response) throws RemoteFailure {
        Optional<String> sent = response.headers().firstValue("Docker-Content-Digest").map(String::strip);
        if (sent.isPresent() && !isDigest(sent.get())) {
            throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "malformed Docker-Content-Digest");
        }
        return sent;
    }

    private static Optional<String> contentType(HttpHeaders headers) {
        return headers.firstValue("Content-Type")
                .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty());
    }

    private static OptionalLong contentLength(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Content-Length");
        try {
            long length = value.isPresent() ? Long.parseLong(value.get().strip()) : -1;
            return length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Optional<String> mediaTypeField(byte[] manifest) {
        JsonObject json = BoundedBody.objectOrNull(manifest);
        return json == null ? Optional.empty() : Optional.ofNullable(BoundedBody.string(json, "mediaType"));
    }
}
