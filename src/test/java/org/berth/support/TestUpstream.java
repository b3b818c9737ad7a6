package org.berth.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A registry upstream for proxy-cache tests, on loopback: serves the manifests and blobs put into
 * it (GET and HEAD), counts every request by method and path, and can be told to fail (any
 * status, with headers), to send a blob's bytes wrong, or to hold a blob's second half until
 * released.
 */
public final class TestUpstream implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> content = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private volatile boolean corrupt;
    private volatile CountDownLatch hold;

    /** What every request gets instead of content, until cleared. */
    public record Failure(int status, Map<String, String> headers) {
    }

    public TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void manifest(String repository, String reference, String mediaType, byte[] bytes) {
        content.put("/v2/" + repository + "/manifests/" + reference, bytes);
        types.put("/v2/" + repository + "/manifests/" + reference, mediaType);
    }

    public void blob(String repository, String digest, byte[] bytes) {
        content.put("/v2/" + repository + "/blobs/" + digest, bytes);
    }

    public void fail(int status, Map<String, String> headers) {
        failure.set(new Failure(status, headers));
    }

    public void heal() {
        failure.set(null);
    }

    /** Blobs are sent with their last byte changed (their length is right). */
    public void corrupt(boolean on) {
        corrupt = on;
    }

    /** Blobs are sent half, then the rest once {@link #release} is called. */
    public void holdBlobs() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
    }

    /** How many {@code method} requests reached {@code path} (e.g. {@code /v2/a/b/blobs/sha256:...}). */
    public int count(String method, String path) {
        AtomicInteger c = counts.get(method + " " + path);
        return c == null ? 0 : c.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            counts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
            Failure f = failure.get();
            if (f != null) {
                f.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.sendResponseHeaders(f.status(), -1);
                return;
            }
            exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            if (path.equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            byte[] body = content.get(path);
            if (body == null) {
                byte[] error = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, "HEAD".equals(method) ? -1 : error.length);
                if (!"HEAD".equals(method)) {
                    exchange.getResponseBody().write(error);
                }
                return;
            }
            boolean manifest = path.contains("/manifests/");
            exchange.getResponseHeaders().add("Content-Type", manifest ? types.get(path) : "application/octet-stream");
            if (manifest) {
                exchange.getResponseHeaders().add("Docker-Content-Digest", RegistryClient.sha256(body));
            }
            if ("HEAD".equals(method)) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            byte[] sent = body;
            if (!manifest && corrupt) {
                sent = body.clone();
                sent[sent.length - 1] ^= 1;
            }
            OutputStream out = exchange.getResponseBody();
            CountDownLatch h = hold;
            if (!manifest && h != null) {
                int half = sent.length / 2;
                out.write(sent, 0, half);
                out.flush();
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write(sent, half, sent.length - half);
            } else {
                out.write(sent);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
