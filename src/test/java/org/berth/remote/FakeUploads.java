package org.berth.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.domain.Digest;

import com.sun.net.httpserver.HttpExchange;

/**
 * The upload side of a registry (OCI dist-spec end-4a, end-5, end-6) on a {@link FakeUpstream}, for
 * one repository: sessions that keep what they committed, PATCH with Content-Range (416 when it
 * does not continue the session), GET of a session's Range, PUT ?digest= that checks the bytes,
 * HEAD of stored blobs. Faults are injected into one PATCH: the connection dropped or a 500 after
 * part of the chunk was read (that part committed, as a registry that writes as it reads), or a stall.
 */
final class FakeUploads {

    enum Fault { DROP, SERVER_ERROR, STALL }

    /** One PATCH as the registry saw it. */
    record Patch(long start, long received, boolean completed) {
    }

    private final FakeUpstream upstream;
    private final String repository;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger patchCount = new AtomicInteger();
    private final Map<String, ByteArrayOutputStream> open = new ConcurrentHashMap<>();
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Patch> patches = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();

    private volatile int faultOnPatch; // 1-based, 0 = none
    private volatile long faultAfter;
    private volatile Fault fault;
    private volatile long millisPer32k;

    FakeUploads(FakeUpstream upstream, String repository) {
        this.upstream = upstream;
        this.repository = repository;
        upstream.onRaw("/v2/" + repository + "/blobs/uploads/", this::start);
    }

    /** The {@code n}th PATCH (1-based) fails after reading {@code after} bytes of its body. */
    FakeUploads failPatch(int n, long after, Fault kind) {
        this.faultOnPatch = n;
        this.faultAfter = after;
        this.fault = kind;
        return this;
    }

    /** Reads request bodies slowly but steadily: {@code millis} per 32 KiB. */
    FakeUploads slowReader(long millis) {
        this.millisPer32k = millis;
        return this;
    }

    /** HEAD and GET of a blob: 200 once stored, else 404. */
    FakeUploads serve(String digest) {
        upstream.on("/v2/" + repository + "/blobs/" + digest, ex -> {
            byte[] blob = blobs.get(digest);
            if (blob == null) {
                FakeUpstream.error(ex, 404, "BLOB_UNKNOWN", "blob unknown");
            } else {
                FakeUpstream.send(ex, 200, "application/octet-stream", blob, "Docker-Content-Digest", digest);
            }
        });
        return this;
    }

    private void start(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        String id = "s" + sessions.incrementAndGet();
        String path = "/v2/" + repository + "/blobs/uploads/" + id;
        open.put(id, new ByteArrayOutputStream());
        upstream.onRaw(path, session -> session(session, id, path));
        FakeUpstream.send(ex, 202, null, new byte[0], "Location", path + "?_state=" + id + "-0", "Range", "0-0",
                "Docker-Upload-UUID", id);
    }

    private void session(HttpExchange ex, String id, String path) throws IOException {
        ByteArrayOutputStream stored = open.get(id);
        if (stored == null) {
            ex.getRequestBody().readAllBytes();
            FakeUpstream.error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown");
            return;
        }
        switch (ex.getRequestMethod()) {
            case "PATCH" -> patch(ex, id, path, stored);
            case "GET" -> FakeUpstream.send(ex, 204, null, new byte[0], "Location", path + "?_state=" + id + "-" + stored.size(),
                    "Range", range(stored.size()), "Docker-Upload-UUID", id);
            case "PUT" -> put(ex, id, stored);
            case "DELETE" -> {
                open.remove(id);
                cancelled.add(id);
                FakeUpstream.send(ex, 204, null, new byte[0]);
            }
            default -> FakeUpstream.error(ex, 405, "UNSUPPORTED", "method");
        }
    }

    private void patch(HttpExchange ex, String id, String path, ByteArrayOutputStream stored) throws IOException {
        int number = patchCount.incrementAndGet();
        String contentRange = ex.getRequestHeaders().getFirst("Content-Range");
        long start = contentRange == null ? stored.size() : Long.parseLong(contentRange.split("-")[0]);
        if (start != stored.size()) {
            patches.add(new Patch(start, 0, false));
            FakeUpstream.error(ex, 416, "BLOB_UPLOAD_INVALID", "range does not continue the upload");
            return;
        }
        boolean faulty = number == faultOnPatch;
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        InputStream in = ex.getRequestBody();
        byte[] buffer = new byte[8192];
        long limit = faulty ? faultAfter : Long.MAX_VALUE;
        int n;
        long sinceSleep = 0;
        while (chunk.size() < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - chunk.size()))) > 0) {
            chunk.write(buffer, 0, n);
            sinceSleep += n;
            if (millisPer32k > 0 && sinceSleep >= 32 * 1024) {
                sinceSleep = 0;
                sleep(millisPer32k);
            }
        }
        synchronized (stored) {
            stored.write(chunk.toByteArray()); // what arrived is committed, as a registry writing as it reads
        }
        patches.add(new Patch(start, chunk.size(), !faulty));
        if (faulty) {
            switch (fault) {
                case DROP -> {
                    return; // FakeUpstream closes the exchange without an answer: the connection drops
                }
                case SERVER_ERROR -> {
                    FakeUpstream.error(ex, 500, "UNKNOWN", "disk hiccup");
                    return;
                }
                case STALL -> {
                    sleep(5_000);
                    return;
                }
            }
        }
        FakeUpstream.send(ex, 202, null, new byte[0], "Location", path + "?_state=" + id + "-" + stored.size(),
                "Range", range(stored.size()), "Docker-Upload-UUID", id);
    }

    private void put(HttpExchange ex, String id, ByteArrayOutputStream stored) throws IOException {
        byte[] last = ex.getRequestBody().readAllBytes();
        stored.write(last);
        String query = ex.getRequestURI().getRawQuery();
        String digest = null;
        for (String param : query == null ? new String[0] : query.split("&")) {
            if (param.startsWith("digest=")) {
                digest = URLDecoder.decode(param.substring(7), StandardCharsets.UTF_8);
            }
        }
        byte[] blob = stored.toByteArray();
        if (digest == null || !digest.equals(Digest.sha256(blob).toString())) {
            FakeUpstream.error(ex, 400, "DIGEST_INVALID", "digest did not match");
            return;
        }
        open.remove(id);
        blobs.put(digest, blob);
        FakeUpstream.send(ex, 201, null, new byte[0], "Location", "/v2/" + repository + "/blobs/" + digest,
                "Docker-Content-Digest", digest);
    }

    private static String range(long size) {
        return "0-" + Math.max(0, size - 1); // Distribution's way: 0-0 for an empty session
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
