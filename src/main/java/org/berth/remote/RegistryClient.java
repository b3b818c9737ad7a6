package org.berth.remote;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
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
 * The one outgoing client Berth talks to other registries with (the proxy cache and replication):
 * the Distribution API's reads and writes (blob mounts and resumable chunked pushes, manifest PUT
 * and DELETE, referrers with the tag-schema fallback, tags page by page), Docker's token flow and
 * Basic, redirects to blob storage, and retries of idempotent requests. Thread-safe; one instance
 * serves every endpoint.
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
     * @param uploadFloor     bytes per second an upload is given time for: a request that sends n bytes
     *                        may take the response timeout plus n / uploadFloor seconds, so no fixed limit
     *                        cuts a big layer short on a slow but steady link
     */
    public record Settings(Duration connectTimeout, Duration responseTimeout, int attempts, Duration backoff, long uploadFloor) {

        /** 64 KiB/s: a 16 MiB chunk may take the response timeout plus 256 s. */
        public static final long DEFAULT_UPLOAD_FLOOR = 64 * 1024;

        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
            Objects.requireNonNull(backoff, "backoff");
            if (attempts < 1 || connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
                    || responseTimeout.isZero() || backoff.isNegative() || uploadFloor < 1) {
                throw new IllegalArgumentException("attempts >= 1, timeouts > 0, backoff >= 0, uploadFloor >= 1");
            }
        }

        /** With the default upload floor. */
        public Settings(Duration connectTimeout, Duration responseTimeout, int attempts, Duration backoff) {
            this(connectTimeout, responseTimeout, attempts, backoff, DEFAULT_UPLOAD_FLOOR);
        }

        /** Connect 5 s, response 20 s, 3 attempts, backoff 200 ms, upload floor 64 KiB/s. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(20), 3, Duration.ofMillis(200));
        }

        /** How long a request that sends {@code bytes} at no less than {@code bytesPerSecond} may take to be answered. */
        Duration deadline(long bytes, long bytesPerSecond) {
            long millis = bytes <= 0 ? 0 : (long) Math.ceil(bytes * 1000.0 / Math.max(1, bytesPerSecond));
            return responseTimeout.plusMillis(millis);
        }
    }

    private final Settings settings;
    private final RemoteTransport transport;
    private final BlobUploads uploads;
    private final ReferrerLists referrers;

    public RegistryClient(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    RegistryClient(Settings settings, Clock clock) {
        String version = Optional.ofNullable(RegistryClient.class.getPackage().getImplementationVersion()).orElse("dev");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = new RemoteTransport(settings, "Berth/" + version, clock);
        this.uploads = new BlobUploads(transport, settings);
        this.referrers = new ReferrerLists(transport, this);
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
     * the upstream; {@code last} may be null. To walk every tag, {@link #tags} follows the Link header.
     */
    public TagPage listTags(RemoteRegistry r, String repository, int n, String last) throws RemoteFailure {
        TagLinkPage page = tagPage(r, repository, tagsUri(r, repository, n, last));
        return new TagPage(page.tags(), nextLast(page.links()));
    }

    /**
     * Every tag of a repository, a page of at most {@code pageSize} at a time (GET tags/list?n=, then
     * the {@code Link: <...>; rel="next"} of each answer, as the spec asks clients to), so tens of
     * thousands of tags are never held at once. The cursor is not thread-safe.
     */
    public TagCursor tags(RemoteRegistry r, String repository, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize >= 1");
        }
        URI first = tagsUri(r, repository, pageSize, null);
        return new TagCursor(uri -> {
            TagLinkPage page = tagPage(r, repository, uri);
            Optional<URI> next = nextLink(page.links(), uri);
            if (next.isPresent() && !(RemoteTransport.sameOrigin(first, next.get()) && first.getRawPath().equals(next.get().getRawPath()))) {
                throw UpstreamFailures.invalid("GET", uri, 200, "tag list Link leaves the tags of this repository");
            }
            return new TagCursor.Page(page.tags(), next);
        }, first);
    }

    /** The largest catalog page read. */
    public static final int MAX_CATALOG_BYTES = 4 * 1024 * 1024;

    /**
     * One page of the registry's repositories: GET /v2/_catalog?n=&amp;last= with the
     * {@code registry:catalog:*} scope (Distribution's extension; a registry without it answers
     * 404 or 401). Returns the names and the {@code last} of the next page, when the answer's
     * {@code Link} header gave one. Replication lists a pull rule's source with it.
     */
    public TagPage catalog(RemoteRegistry r, int n, String last) throws RemoteFailure {
        List<String> query = new ArrayList<>();
        if (n > 0) {
            query.add("n=" + n);
        }
        if (last != null && !last.isEmpty()) {
            query.add("last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        URI uri = r.resolve("/v2/_catalog" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        Call call = new Call("GET", uri, "registry:catalog:*", null, List.of(), null, null, true);
        return transport.call(r, call, response -> {
            byte[] bytes = transport.read(response, MAX_CATALOG_BYTES);
            int status = response.statusCode();
            JsonObject json = bytes.length > MAX_CATALOG_BYTES ? null : BoundedBody.objectOrNull(bytes);
            if (json == null) {
                throw UpstreamFailures.invalid("GET", response.uri(), status, "catalog is not a JSON object of at most "
                        + MAX_CATALOG_BYTES + " bytes");
            }
            List<String> names = new ArrayList<>();
            if (json.get("repositories") instanceof JsonArray array) {
                for (JsonValue name : array) {
                    if (!(name instanceof JsonString s)) {
                        throw UpstreamFailures.invalid("GET", response.uri(), status, "catalog holds a non-string");
                    }
                    names.add(s.getString());
                }
            }
            return new TagPage(names, nextLast(response.headers().allValues("Link")));
        });
    }

    // ------------------------------------------------------------------ writes (replication)

    /** HEAD of a blob: true when the repository has it (200), false on 404. */
    public boolean blobExists(RemoteRegistry r, String repository, String digest) throws RemoteFailure {
        return uploads.exists(r, repository, digest);
    }

    /**
     * Cross-repository mount (POST blobs/uploads/?mount=&amp;from=, OCI dist-spec end-11) with a token
     * for {@code repository:<repository>:pull,push} and {@code repository:<from>:pull}. True when
     * mounted (201); false when the registry could not mount and started an upload instead (202),
     * which is cancelled here: push the blob then.
     */
    public boolean mountBlob(RemoteRegistry r, String repository, String digest, String from) throws RemoteFailure {
        return uploads.mount(r, repository, digest, from);
    }

    /**
     * Pushes a blob: up to {@link BlobPush#chunkSize()} in one POST then PUT; above it in chunks
     * (PATCH with Content-Range), each resumed after a failure from the offset the registry
     * committed ({@code GET} of the session, its {@code Range}), at most {@link BlobPush#attempts()}
     * tries per chunk; a session the registry lost is started again. Each request is given the
     * response timeout plus the time its bytes need at the upload floor (or half the bandwidth cap),
     * never a fixed limit. The caller makes sure the source's bytes have the digest.
     */
    public PushedBlob pushBlob(RemoteRegistry r, String repository, String digest, BlobSource source, BlobPush options)
            throws RemoteFailure {
        return uploads.push(r, repository, Objects.requireNonNull(digest, "digest"), Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(options, "options"));
    }

    /**
     * PUT of a manifest by tag or digest (end-7), with a push token. Returns the digest the registry
     * reported, which must be the bytes' (INVALID otherwise), and its {@code OCI-Subject}.
     */
    public PushedManifest putManifest(RemoteRegistry r, String repository, String reference, String mediaType, byte[] bytes)
            throws RemoteFailure {
        Objects.requireNonNull(bytes, "bytes");
        if (mediaType == null || mediaType.isBlank() || mediaType.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("not a media type: " + mediaType);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new IllegalArgumentException("manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        URI uri = manifestUri(r, repository, reference);
        if (isDigest(reference) && !reference.equals(digestOf(reference, bytes))) {
            throw new IllegalArgumentException("the bytes do not have the digest " + reference);
        }
        Call call = new Call("PUT", uri, TokenScopes.push(repository), null, List.of("Content-Type", mediaType),
                () -> HttpRequest.BodyPublishers.ofByteArray(bytes), settings.deadline(bytes.length, settings.uploadFloor()), true);
        return transport.call(r, call, response -> {
            RemoteTransport.close(response);
            Optional<String> sent = headerDigest(call, response);
            String digest = sent.orElseGet(() -> Digest.sha256(bytes).toString());
            if (!digest.equals(digestOf(digest, bytes))) {
                throw UpstreamFailures.invalid("PUT", response.uri(), response.statusCode(),
                        "Docker-Content-Digest " + digest + " is not the digest of the bytes sent");
            }
            Optional<String> subject = response.headers().firstValue("OCI-Subject").map(String::strip).filter(RegistryClient::isDigest);
            return new PushedManifest(digest, subject);
        });
    }

    /** DELETE of a manifest by digest (end-9) with a delete token: true when deleted (202), false when it was not there (404). */
    public boolean deleteManifest(RemoteRegistry r, String repository, String digest) throws RemoteFailure {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a digest: " + digest);
        }
        Call call = new Call("DELETE", manifestUri(r, repository, digest), TokenScopes.delete(repository), null, List.of(), null, null, true);
        try {
            return transport.call(r, call, response -> {
                RemoteTransport.close(response);
                return true;
            });
        } catch (RemoteFailure f) {
            if (f.reason() == RemoteFailure.Reason.NOT_FOUND) {
                return false;
            }
            throw f;
        }
    }

    /**
     * The referrers of a manifest (OCI dist-spec 1.1): GET /v2/&lt;repo&gt;/referrers/&lt;digest&gt;, every page;
     * on 404 the index under the referrers tag ({@link #referrersTag}). {@code artifactType} may be
     * null for all.
     */
    public Referrers listReferrers(RemoteRegistry r, String repository, String digest, String artifactType) throws RemoteFailure {
        return referrers.list(r, repository, digest, artifactType);
    }

    /** The referrers tag schema's tag of a digest: {@code sha256-<hex>}. */
    public static String referrersTag(String digest) {
        try {
            return ReferrerLists.tag(digest);
        } catch (RegistryException e) {
            throw new IllegalArgumentException("not a digest: " + digest, e);
        }
    }

    // ------------------------------------------------------------------ tag pages

    private record TagLinkPage(List<String> tags, List<String> links) {
    }

    private static URI tagsUri(RemoteRegistry r, String repository, int n, String last) {
        List<String> query = new ArrayList<>();
        if (n > 0) {
            query.add("n=" + n);
        }
        if (last != null && !last.isEmpty()) {
            query.add("last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        return r.resolve("/v2/" + repository(repository) + "/tags/list" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    }

    private TagLinkPage tagPage(RemoteRegistry r, String repository, URI uri) throws RemoteFailure {
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
            return new TagLinkPage(tags, response.headers().allValues("Link"));
        });
    }

    /** The target of a {@code Link: <...>; rel="next"} header, resolved against the page's URL. */
    static Optional<URI> nextLink(List<String> links, URI base) {
        for (String link : links) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                try {
                    return Optional.of(base.resolve(new URI(m.group(1))));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
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

    static URI manifestUri(RemoteRegistry r, String repository, String reference) {
        if (reference == null || !(TAG.matcher(reference).matches() || isDigest(reference))) {
            throw new IllegalArgumentException("not a tag or digest: " + reference);
        }
        return r.resolve("/v2/" + repository(repository) + "/manifests/" + reference);
    }

    static URI blobUri(RemoteRegistry r, String repository, String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a digest: " + digest);
        }
        return r.resolve("/v2/" + repository(repository) + "/blobs/" + digest);
    }

    /** The digest of the bytes with the algorithm of the given (valid) digest. */
    static String digestOf(String digest, byte[] bytes) {
        return Digest.of(Digest.parse(digest).algorithm(), bytes).toString();
    }

    static boolean isDigest(String value) {
        try {
            Digest.parse(value);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }

    static String repository(String repository) {
        try {
            return RepositoryName.parse(repository).value();
        } catch (RegistryException e) {
            throw new IllegalArgumentException("not a repository name: " + repository, e);
        }
    }

    /** Docker-Content-Digest when sent; a malformed one is INVALID. */
    static Optional<String> headerDigest(Call call, HttpResponse<InputStream> response) throws RemoteFailure {
        Optional<String> sent = response.headers().firstValue("Docker-Content-Digest").map(String::strip);
        if (sent.isPresent() && !isDigest(sent.get())) {
            throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "malformed Docker-Content-Digest");
        }
        return sent;
    }

    static Optional<String> contentType(HttpHeaders headers) {
        return headers.firstValue("Content-Type")
                .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty());
    }

    static OptionalLong contentLength(HttpHeaders headers) {
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
