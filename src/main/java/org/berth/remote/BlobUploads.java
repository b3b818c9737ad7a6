package org.berth.remote;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.remote.RemoteFailure.Reason;
import org.berth.remote.RemoteTransport.Call;

/**
 * The write side of blobs (OCI dist-spec "Pushing blobs"): a mount from another repository
 * (end-11), one POST then PUT for a small blob (end-4a, end-6), and for a big one a chunked upload
 * (end-4a, end-5 PATCH with Content-Range, end-6) that resumes after a failure from the offset the
 * registry reports for the session ({@code GET <location>}, its {@code Range}) instead of from 0.
 * A session the registry lost (404, or Distribution's BLOB_UPLOAD_INVALID) is started again.
 */
final class BlobUploads {

    private static final Pattern RANGE = Pattern.compile("^\\s*(?:bytes=)?(\\d+)-(\\d+)\\s*$");
    private static final String OCTETS = "application/octet-stream";

    private final RemoteTransport transport;
    private final RegistryClient.Settings settings;

    BlobUploads(RemoteTransport transport, RegistryClient.Settings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    /** True when mounted (201); on 202 the session the registry started instead is cancelled. */
    boolean mount(RemoteRegistry r, String repository, String digest, String from) throws RemoteFailure {
        RegistryClient.blobUri(r, from, digest); // checks the digest and the source's name
        URI uri = r.resolve("/v2/" + RegistryClient.repository(repository) + "/blobs/uploads/?mount="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8) + "&from=" + URLEncoder.encode(RegistryClient.repository(from),
                StandardCharsets.UTF_8));
        Call call = new Call("POST", uri, TokenScopes.mount(repository, from), null, List.of(), null, null, false);
        HttpResponse<InputStream> response = transport.call(r, call, answer -> {
            RemoteTransport.close(answer);
            return answer;
        });
        if (response.statusCode() == 201) {
            Optional<String> sent = RegistryClient.headerDigest(call, response);
            if (sent.isPresent() && sameAlgorithm(sent.get(), digest) && !sent.get().equals(digest)) {
                throw UpstreamFailures.invalid("POST", response.uri(), 201, "mounted " + sent.get() + " instead of " + digest);
            }
            return true;
        }
        // 202: the registry cannot mount and started an upload; end it rather than leave it to expire
        location(call, response).ifPresent(session -> cancel(r, repository, session));
        return false;
    }

    /** DELETE of an upload session, best effort: a registry that cannot cancel lets it expire. */
    void cancel(RemoteRegistry r, String repository, URI session) {
        try {
            transport.call(r, new Call("DELETE", session, TokenScopes.push(repository), null, List.of(), null, null, false), answer -> {
                RemoteTransport.close(answer);
                return null;
            });
        } catch (RemoteFailure ignored) {
            // nothing depends on it
        }
    }

    PushedBlob push(RemoteRegistry r, String repository, String digest, BlobSource source, BlobPush options) throws RemoteFailure {
        RegistryClient.blobUri(r, repository, digest);
        long size = source.size();
        if (size < 0) {
            throw new IllegalArgumentException("a blob's size is >= 0");
        }
        Upload upload = new Upload(r, repository, digest, source, options);
        return size <= options.chunkSize() ? upload.monolithic() : upload.chunked();
    }

    /** One push: its session, its counters. */
    private final class Upload {
        private final RemoteRegistry r;
        private final String repository;
        private final String digest;
        private final BlobSource source;
        private final BlobPush options;
        private final long size;
        private final Throttle throttle;
        private final AtomicLong sent = new AtomicLong();
        private final String scope;
        private int resumes;

        Upload(RemoteRegistry r, String repository, String digest, BlobSource source, BlobPush options) {
            this.r = r;
            this.repository = repository;
            this.digest = digest;
            this.source = source;
            this.options = options;
            this.size = source.size();
            this.throttle = options.bytesPerSecond() > 0 ? new Throttle(options.bytesPerSecond()) : null;
            this.scope = TokenScopes.push(repository);
        }

        /** POST, then PUT with every byte; after a failure the whole again, as there is nothing to resume. */
        PushedBlob monolithic() throws RemoteFailure {
            for (int attempt = 1;; attempt++) {
                try {
                    URI session = start();
                    finish(session, 0, size);
                    return new PushedBlob(digest, size, sent.get(), false, resumes);
                } catch (RemoteFailure f) {
                    if (!mayResume(f) || f.reason() == Reason.NOT_FOUND || attempt >= options.attempts()) {
                        throw f;
                    }
                    if (arrived()) { // the answer was lost, not the blob
                        return new PushedBlob(digest, size, sent.get(), false, resumes);
                    }
                    pause(f, attempt);
                    resumes++;
                    options.progress().update(0, size);
                }
            }
        }

        /** POST, PATCH each chunk, PUT ?digest=; a failed chunk continues from the committed offset. */
        PushedBlob chunked() throws RemoteFailure {
            URI session = null;
            long committed = 0;
            Optional<Status> kept = continued();
            if (kept.isPresent()) {
                session = kept.get().session();
                committed = Math.min(kept.get().committed(), size);
                resumes++;
                options.progress().update(committed, size);
            } else {
                session = start();
            }
            options.sessions().save(session);
            long chunk = options.chunkSize();
            Map<Long, Integer> failures = new HashMap<>(); // per chunk (by its index), so the retries are bounded
            int restarts = 0;
            boolean refusedOnce = false;
            while (true) {
                try {
                    if (committed < size) {
                        long end = Math.min(size, (committed / chunk + 1) * chunk);
                        Patched p = patch(session, committed, end);
                        if (!p.session().equals(session)) {
                            options.sessions().save(p.session());
                        }
                        session = p.session();
                        committed = p.committed();
                        continue;
                    }
                    finish(session, size, size);
                    options.sessions().done();
                    return new PushedBlob(digest, size, sent.get(), true, resumes);
                } catch (RemoteFailure f) {
                    long index = committed / chunk;
                    int failed = failures.merge(index, 1, Integer::sum);
                    if (!mayResume(f) || failed >= options.attempts()) {
                        if (committed >= size && arrived()) {
                            return new PushedBlob(digest, size, sent.get(), true, resumes);
                        }
                        throw f;
                    }
                    pause(f, failed);
                    resumes++;
                    // a finished upload the registry refused (DIGEST_INVALID: bytes of a request it was
                    // still taking when this client resumed) goes again from the start, as a lost session
                    // once only: a source whose bytes do not have the digest would be sent again and again
                    boolean refused = committed >= size && f.status() == 400;
                    if (refused && refusedOnce) {
                        throw f;
                    }
                    refusedOnce |= refused;
                    Optional<Status> status = refused ? Optional.empty() : status(session);
                    if (status.isPresent()) {
                        session = status.get().session();
                        committed = status.get().committed();
                    } else if (committed >= size && arrived()) {
                        return new PushedBlob(digest, size, sent.get(), true, resumes);
                    } else {
                        if (++restarts >= options.attempts()) {
                            throw f;
                        }
                        session = start(); // the registry lost the session: from the start
                        committed = 0;
                    }
                    options.progress().update(committed, size);
                }
            }
        }

        /**
         * The session an earlier push left, where the registry still has it: on this registry's
         * host only (a kept URL never takes this push's credentials elsewhere).
         */
        private Optional<Status> continued() {
            Optional<URI> saved = options.sessions().saved();
            if (saved.isEmpty() || !RemoteTransport.sameOrigin(saved.get(), r.resolve("/v2/"))) {
                return Optional.empty();
            }
            try {
                return status(saved.get());
            } catch (RemoteFailure f) {
                return Optional.empty(); // gone or unreadable: a new session
            }
        }

        private URI start() throws RemoteFailure {
            URI uri = r.resolve("/v2/" + RegistryClient.repository(repository) + "/blobs/uploads/");
            Call call = new Call("POST", uri, scope, null, List.of(), null, null, false);
            return transport.call(r, call, response -> {
                RemoteTransport.close(response);
                if (response.statusCode() != 202) {
                    throw UpstreamFailures.invalid("POST", response.uri(), response.statusCode(), "instead of 202 for a new upload");
                }
                return location(call, response).orElseThrow(() ->
                        UpstreamFailures.invalid("POST", response.uri(), 202, "upload without Location"));
            });
        }

        private record Patched(URI session, long committed) {
        }

        private Patched patch(URI session, long from, long to) throws RemoteFailure {
            long length = to - from;
            try (UploadBody body = new UploadBody(source, from, length, throttle, options.progress(), sent)) {
                Call call = new Call("PATCH", session, scope, null,
                        List.of("Content-Type", OCTETS, "Content-Range", from + "-" + (to - 1)), body, deadline(length), false);
                return transport.call(r, call, response -> {
                    RemoteTransport.close(response);
                    URI next = location(call, response).orElse(session);
                    Optional<Long> reported = committed(call, response);
                    long committed = reported.orElse(to);
                    if (committed > to || committed < from) {
                        // less than before is a registry that lost data: refuse rather than guess
                        throw UpstreamFailures.invalid("PATCH", response.uri(), response.statusCode(),
                                "Range ends at " + committed + " after sending " + from + "-" + (to - 1));
                    }
                    return new Patched(next, committed);
                });
            }
        }

        /** PUT ?digest= with the bytes {@code [from, to)} (none after the PATCHes). */
        private void finish(URI session, long from, long to) throws RemoteFailure {
            URI uri = withQuery(session, "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
            long length = to - from;
            try (UploadBody body = length > 0 ? new UploadBody(source, from, length, throttle, options.progress(), sent) : null) {
                List<String> headers = length > 0 ? List.of("Content-Type", OCTETS) : List.of();
                Call call = new Call("PUT", uri, scope, null, headers, body, deadline(length), false);
                transport.call(r, call, response -> {
                    RemoteTransport.close(response);
                    if (response.statusCode() != 201) {
                        throw UpstreamFailures.invalid("PUT", response.uri(), response.statusCode(), "instead of 201 for a finished upload");
                    }
                    Optional<String> sentDigest = RegistryClient.headerDigest(call, response);
                    if (sentDigest.isPresent() && sameAlgorithm(sentDigest.get(), digest) && !sentDigest.get().equals(digest)) {
                        throw UpstreamFailures.invalid("PUT", response.uri(), 201, "stored " + sentDigest.get() + " instead of " + digest);
                    }
                    return null;
                });
            }
            options.progress().update(size, size);
        }

        private record Status(URI session, long committed) {
        }

        /** GET of the session: where it stands; empty when the registry no longer knows it. */
        private Optional<Status> status(URI session) throws RemoteFailure {
            Call call = new Call("GET", session, scope, null, List.of(), null, null, true);
            try {
                return Optional.of(transport.call(r, call, response -> {
                    RemoteTransport.close(response);
                    long committed = committed(call, response).orElse(0L);
                    if (committed > size) {
                        throw UpstreamFailures.invalid("GET", response.uri(), response.statusCode(), "Range beyond the blob's size");
                    }
                    return new Status(location(call, response).orElse(session), committed);
                }));
            } catch (RemoteFailure f) {
                if (f.reason() == Reason.NOT_FOUND || f.status() == 400) {
                    return Optional.empty(); // BLOB_UPLOAD_UNKNOWN, or Distribution's BLOB_UPLOAD_INVALID after a cut PATCH
                }
                throw f;
            }
        }

        /** Whether the blob is there after all (the last answer was lost, not the request). */
        private boolean arrived() {
            try {
                return exists(r, repository, digest);
            } catch (RemoteFailure f) {
                return false;
            }
        }

        private Duration deadline(long bytes) {
            long floor = settings.uploadFloor();
            if (options.bytesPerSecond() > 0) {
                floor = Math.min(floor, Math.max(1, options.bytesPerSecond() / 2)); // the cap slows it on purpose
            }
            return settings.deadline(bytes, floor);
        }

        private void pause(RemoteFailure f, int attempt) throws RemoteFailure {
            Duration wait = transport.backoff(attempt);
            if (f.retryAfter().isPresent()) {
                wait = f.retryAfter().get().compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : f.retryAfter().get();
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw f;
            }
        }
    }

    /** HEAD of a blob: true on 200, false on 404. */
    boolean exists(RemoteRegistry r, String repository, String digest) throws RemoteFailure {
        Call call = new Call("HEAD", RegistryClient.blobUri(r, repository, digest), repository, null);
        try {
            return transport.call(r, call, response -> {
                RemoteTransport.close(response);
                return true;
            });
        } catch (RemoteFailure f) {
            if (f.reason() == Reason.NOT_FOUND) {
                return false;
            }
            throw f;
        }
    }

    /**
     * Failures a chunk is sent again after: no answer, a cut connection, a deadline, a 5xx, a 429,
     * 416 (the registry has another offset than this client thought) and 400 (a chunk or digest it
     * refused: status() or a new session sorts it out, bounded). Never AUTH, nor a local source
     * that cannot be read (status 0, INVALID).
     */
    static boolean mayResume(RemoteFailure f) {
        return switch (f.reason()) {
            case UNREACHABLE, TIMEOUT, SERVER_ERROR, RATE_LIMITED -> true;
            case NOT_FOUND -> true; // the session expired: status() finds out and starts again
            case INVALID -> f.status() == 416 || f.status() == 400; // another offset than this client thought; a refused digest
            default -> false;
        };
    }

    /** The committed length from a {@code Range: 0-<last>} header; {@code 0-0} is read as empty, as Distribution sends it. */
    private static Optional<Long> committed(Call call, HttpResponse<InputStream> response) throws RemoteFailure {
        Optional<String> range = response.headers().firstValue("Range");
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(range.get());
        if (!m.matches()) {
            throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "malformed Range");
        }
        try {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (first != 0 || last < first) {
                throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "Range that does not start at 0");
            }
            return Optional.of(last == 0 ? 0 : last + 1);
        } catch (NumberFormatException e) {
            throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "malformed Range");
        }
    }

    /** The answer's Location, resolved against the URL it answered. */
    private static Optional<URI> location(Call call, HttpResponse<InputStream> response) throws RemoteFailure {
        Optional<String> location = response.headers().firstValue("Location").map(String::strip).filter(l -> !l.isEmpty());
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = response.uri().resolve(new URI(location.get()));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "Location that is not http(s)");
            }
            return Optional.of(uri);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw UpstreamFailures.invalid(call.method(), response.uri(), response.statusCode(), "invalid Location");
        }
    }

    private static URI withQuery(URI uri, String param) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + param);
    }

    private static boolean sameAlgorithm(String a, String b) {
        return a.substring(0, a.indexOf(':')).equals(b.substring(0, b.indexOf(':')));
    }
}
