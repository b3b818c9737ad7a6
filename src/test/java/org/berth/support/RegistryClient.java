package org.berth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small black-box HTTP client for an OCI registry, built on {@link java.net.http.HttpClient} only.
 * <p>
 * It mimics the Go client the OCI conformance suite uses (reggie on resty):
 * <ul>
 * <li>follow-up requests go to {@link Response#relativeLocation()}, i.e. the path and query of the
 * {@code Location} header with scheme and host dropped;</li>
 * <li>query parameters added to a path that already has a query are appended with {@code &};</li>
 * <li>{@code Content-Length} is never set by hand: it is always the real body length (Go's
 * transport ignores a hand-set header too).</li>
 * </ul>
 */
public final class RegistryClient {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String USER_AGENT = "distribution-spec-conformance-tests";

    private final URI root;
    private final HttpClient http;
    private String authorization;

    /** @param root the server root, e.g. {@code http://localhost:8080/} */
    public RegistryClient(URI root) {
        this.root = root;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL) // Go's client follows redirects too
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    public URI root() {
        return root;
    }

    /** Sends Basic credentials with every request (the conformance suite's OCI_USERNAME/OCI_PASSWORD). */
    public RegistryClient withBasicAuth(String username, String password) {
        this.authorization = "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    // ------------------------------------------------------------------ digests

    /** {@code sha256:<hex>} of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String utf8) {
        return sha256(utf8.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ requests

    /**
     * A request to {@code pathAndQuery}, which is either a path ({@code /v2/...}, possibly with a
     * query) or an absolute URL of which only the path and query are used.
     */
    public Request request(String method, String pathAndQuery) {
        return new Request(method, pathAndQuery);
    }

    public final class Request {
        private final String method;
        private final String path;
        private final String rawQuery;
        private final List<String[]> query = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;

        private Request(String method, String pathAndQuery) {
            this.method = method;
            String p = pathAndQuery;
            if (p.startsWith("http://") || p.startsWith("https://")) {
                URI u = URI.create(p);
                p = u.getPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            }
            int q = p.indexOf('?');
            this.path = q < 0 ? p : p.substring(0, q);
            this.rawQuery = q < 0 ? null : p.substring(q + 1);
            headers.put("User-Agent", USER_AGENT);
        }

        public Request query(String key, String value) {
            query.add(new String[] {key, value});
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request body(byte[] content) {
            this.body = content;
            return this;
        }

        public Request contentType(String mediaType) {
            return header("Content-Type", mediaType);
        }

        public URI uri() {
            StringBuilder q = new StringBuilder();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                q.append(rawQuery);
            }
            for (String[] kv : query) {
                if (q.length() > 0) {
                    q.append('&');
                }
                q.append(URLEncoder.encode(kv[0], StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
            }
            try {
                // The path is held decoded (like Go's url.URL.Path) and encoded again here.
                String encodedPath = new URI(null, null, path.startsWith("/") ? path : "/" + path, null).toASCIIString();
                String base = root.getScheme() + "://" + root.getRawAuthority();
                return URI.create(base + encodedPath + (q.length() > 0 ? "?" + q : ""));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad path " + path, e);
            }
        }

        public Response send() {
            URI uri = uri();
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
            if (body == null && method.equals("GET")) {
                b.GET(); // no Content-Length on a body-less GET, as Go sends it
            } else if (body == null && method.equals("DELETE")) {
                b.DELETE();
            } else {
                b.method(method, publisher);
            }
            headers.forEach(b::header);
            if (authorization != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
                b.header("Authorization", authorization);
            }
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new Response(method, uri, r.statusCode(), r.headers(), r.body() == null ? new byte[0] : r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + uri + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(method + " " + uri + " interrupted", e);
            }
        }
    }

    // ------------------------------------------------------------------ responses

    public static final class Response {
        private final String method;
        private final URI uri;
        private final int status;
        private final HttpHeaders headers;
        private final byte[] body;

        Response(String method, URI uri, int status, HttpHeaders headers, byte[] body) {
            this.method = method;
            this.uri = uri;
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public boolean is2xx() {
            return status >= 200 && status < 300;
        }

        public HttpHeaders headers() {
            return headers;
        }

        /** The first value of a header (case-insensitive), or {@code ""} like Go's {@code Header.Get}. */
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        public Optional<String> optionalHeader(String name) {
            return headers.firstValue(name);
        }

        public byte[] body() {
            return body;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The raw {@code Location} header (Go's {@code GetAbsoluteLocation}). */
        public String location() {
            return header("Location");
        }

        /**
         * Go reggie's {@code GetRelativeLocation}: the decoded path of the {@code Location} URL,
         * plus {@code ?rawQuery} when there is one; {@code ""} when it cannot be parsed.
         */
        public String relativeLocation() {
            String loc = location();
            if (loc.isEmpty()) {
                return "";
            }
            try {
                URI u = new URI(loc);
                String p = u.getPath() == null ? "" : u.getPath();
                if (u.getRawQuery() != null && !u.getRawQuery().isEmpty()) {
                    p += "?" + u.getRawQuery();
                }
                return p;
            } catch (URISyntaxException e) {
                return "";
            }
        }

        public Object json() {
            return Json.parse(body);
        }

        /** The {@code code} of each entry of an OCI error body {@code {"errors":[...]}}. */
        public List<String> errorCodes() {
            Map<String, Object> doc = Json.parseObject(body);
            List<String> codes = new ArrayList<>();
            for (Object e : Json.array(doc.get("errors"), "errors")) {
                Object code = Json.object(e, "error").get("code");
                codes.add(code == null ? null : String.valueOf(code));
            }
            return codes;
        }

        /** Tags of a tag-list body, or an empty list when the body is not one (like the suite's getTagList). */
        public List<String> tagsOrEmpty() {
            try {
                return tags();
            } catch (RuntimeException | AssertionError e) {
                return List.of();
            }
        }

        /** Tags of a tag-list body; fails if the body is not a JSON object. */
        public List<String> tags() {
            Map<String, Object> doc = Json.parseObject(body);
            List<String> tags = new ArrayList<>();
            for (Object t : Json.array(doc.get("tags"), "tags")) {
                tags.add((String) t);
            }
            return tags;
        }

        @Override
        public String toString() {
            String text = bodyText();
            if (text.length() > 600) {
                text = text.substring(0, 600) + "...";
            }
            return method + " " + uri + " -> " + status + " " + headers.map() + " body=" + text;
        }
    }

    // ------------------------------------------------------------------ registry operations

    private static String blobs(String repo, String digest) {
        return "/v2/" + repo + "/blobs/" + digest;
    }

    private static String manifests(String repo, String reference) {
        return "/v2/" + repo + "/manifests/" + reference;
    }

    /** {@code POST /v2/<repo>/blobs/uploads/} without body. */
    public Response startUpload(String repo) {
        return request("POST", "/v2/" + repo + "/blobs/uploads/").send();
    }

    /** POST then {@code PUT <location>?digest=} with the whole blob: the suite's "populate registry" sequence. */
    public Response uploadBlob(String repo, String digest, byte[] content) {
        Response post = startUpload(repo);
        if (post.relativeLocation().isEmpty()) {
            throw new AssertionError("upload session has no Location: " + post);
        }
        return request("PUT", post.relativeLocation())
                .query("digest", digest)
                .contentType(OCTET_STREAM)
                .body(content)
                .send();
    }

    /** Single-request monolithic upload: {@code POST /v2/<repo>/blobs/uploads/?digest=} with the blob. */
    public Response postBlob(String repo, String digest, byte[] content) {
        return request("POST", "/v2/" + repo + "/blobs/uploads/")
                .query("digest", digest)
                .contentType(OCTET_STREAM)
                .body(content)
                .send();
    }

    /**
     * Streamed upload: POST, one PATCH without Content-Range, then PUT with the digest and no body.
     * A refused PATCH (e.g. over a quota) is the answer.
     */
    public Response uploadBlobStreamed(String repo, String digest, byte[] content) {
        Response post = startUpload(repo);
        Response patch = request("PATCH", post.relativeLocation()).contentType(OCTET_STREAM).body(content).send();
        if (patch.status() != 202) {
            return patch;
        }
        return request("PUT", patch.relativeLocation()).query("digest", digest).contentType(OCTET_STREAM).send();
    }

    /**
     * Chunked upload with {@code Content-Range: start-end} PATCHes of {@code chunkSize} bytes, then
     * an empty PUT. A refused PATCH (e.g. over a quota) is the answer.
     */
    public Response uploadBlobChunked(String repo, String digest, byte[] content, int chunkSize) {
        Response last = startUpload(repo);
        for (int start = 0; start < content.length; start += chunkSize) {
            int end = Math.min(content.length, start + chunkSize);
            byte[] chunk = java.util.Arrays.copyOfRange(content, start, end);
            last = request("PATCH", last.relativeLocation())
                    .contentType(OCTET_STREAM)
                    .header("Content-Range", start + "-" + (end - 1))
                    .body(chunk)
                    .send();
            if (last.status() != 202) {
                return last;
            }
        }
        return request("PUT", last.relativeLocation()).query("digest", digest).contentType(OCTET_STREAM).send();
    }

    public Response getBlob(String repo, String digest) {
        return request("GET", blobs(repo, digest)).send();
    }

    public Response headBlob(String repo, String digest) {
        return request("HEAD", blobs(repo, digest)).send();
    }

    public Response deleteBlob(String repo, String digest) {
        return request("DELETE", blobs(repo, digest)).send();
    }

    /** {@code POST /v2/<repo>/blobs/uploads/?mount=<digest>[&from=<from>]}. */
    public Response mount(String repo, String digest, String from) {
        Request r = request("POST", "/v2/" + repo + "/blobs/uploads/").query("mount", digest);
        if (from != null) {
            r.query("from", from);
        }
        return r.send();
    }

    public Response putManifest(String repo, String reference, String mediaType, byte[] content) {
        return request("PUT", manifests(repo, reference)).contentType(mediaType).body(content).send();
    }

    public Response getManifest(String repo, String reference, String accept) {
        Request r = request("GET", manifests(repo, reference));
        if (accept != null) {
            r.header("Accept", accept);
        }
        return r.send();
    }

    public Response headManifest(String repo, String reference, String accept) {
        Request r = request("HEAD", manifests(repo, reference));
        if (accept != null) {
            r.header("Accept", accept);
        }
        return r.send();
    }

    public Response deleteManifest(String repo, String reference) {
        return request("DELETE", manifests(repo, reference)).send();
    }

    /** {@code GET /v2/<repo>/tags/list[?n=][&last=]}. */
    public Response listTags(String repo, Integer n, String last) {
        Request r = request("GET", "/v2/" + repo + "/tags/list");
        if (n != null) {
            r.query("n", Integer.toString(n));
        }
        if (last != null) {
            r.query("last", last);
        }
        return r.send();
    }

    /** {@code GET /v2/<repo>/referrers/<digest>[?artifactType=]}. */
    public Response referrers(String repo, String digest, String artifactType) {
        Request r = request("GET", "/v2/" + repo + "/referrers/" + digest);
        if (artifactType != null) {
            r.query("artifactType", artifactType);
        }
        return r.send();
    }
}
