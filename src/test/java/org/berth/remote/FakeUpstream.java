package org.berth.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A registry for tests: the JDK's HTTP server on a loopback port, answering each exact path with
 * a handler and recording every request it saw.
 */
final class FakeUpstream implements AutoCloseable {

    /** One request as the upstream saw it; {@code body} is empty for a raw route (its handler reads the body). */
    record Seen(String method, String path, String query, Headers headers, byte[] body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.getFirst(name));
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, Handler> rawRoutes = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    private FakeUpstream(HttpServer server) {
        this.server = server;
        server.createContext("/", this::dispatch);
        server.setExecutor(executor);
        server.start();
    }

    static FakeUpstream start() throws IOException {
        return new FakeUpstream(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static FakeUpstream startTls(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new FakeUpstream(server);
    }

    FakeUpstream on(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    /** A handler that reads the request body itself (slowly, in part, or not at all). */
    FakeUpstream onRaw(String path, Handler handler) {
        rawRoutes.put(path, handler);
        return this;
    }

    URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    RemoteRegistry anonymous() {
        return RemoteRegistry.anonymous("fake", url(), true);
    }

    RemoteRegistry withCredentials(String username, String password) {
        return new RemoteRegistry("fake", url(), Optional.of(username), Optional.of(password), true);
    }

    List<Seen> seen(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Handler raw = rawRoutes.get(uri.getPath());
            if (raw != null) {
                seen.add(new Seen(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), exchange.getRequestHeaders(), new byte[0]));
                raw.handle(exchange);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            seen.add(new Seen(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), exchange.getRequestHeaders(), body));
            Handler handler = routes.get(uri.getPath());
            if (handler == null) {
                error(exchange, 404, "NAME_UNKNOWN", "no route in the fake upstream");
            } else {
                handler.handle(exchange);
            }
        }
    }

    // ------------------------------------------------------------------ answers

    /** Sends a complete answer; for HEAD, the headers only (with the body's Content-Length). */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body, String... headers) throws IOException {
        Headers h = exchange.getResponseHeaders();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends a body chunked: no Content-Length. */
    static void sendChunked(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void json(HttpExchange exchange, int status, String json, String... headers) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** An OCI error body (dist-spec "Error Codes"). */
    static void error(HttpExchange exchange, int status, String code, String message, String... headers) throws IOException {
        json(exchange, status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}", headers);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
