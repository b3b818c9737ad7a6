package org.berth.support;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/** A small HTTP client for the administration API in integration tests. */
public class AdminClient {

    /** The first-start administrator; the failsafe configuration sets BERTH_ADMIN_PASSWORD to this. */
    public static final String ADMIN = basic("admin", "Admin12345!");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    public AdminClient(URI base) {
        this.base = base;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param path          relative to the server root, e.g. {@code api/v1/users}
     * @param body          a JSON body, or null
     * @param authorization an Authorization header, or null for an anonymous request
     * @param headers       more headers, name and value in turn
     */
    public HttpResponse<String> send(String method, String path, String body, String authorization, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls a listing of audit entries until one matches (the writer flushes about every second);
     * fails after 15 seconds, naming {@code what} and the last page.
     */
    public JsonObject awaitEntry(String path, String authorization, Predicate<JsonObject> wanted, String what) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonArray last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(path, authorization);
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            last = array(r);
            for (JsonObject entry : last.getValuesAs(JsonObject.class)) {
                if (wanted.test(entry)) {
                    return entry;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no audit entry " + what + " in " + path + ": " + last);
    }

    public HttpResponse<String> get(String path, String authorization) {
        return send("GET", path, null, authorization);
    }

    public HttpResponse<byte[]> sendBytes(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    public static JsonArray array(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    /** The {@code code} of the first error in an error body. */
    public static String errorCode(HttpResponse<String> response) {
        return object(response).getJsonArray("errors").getJsonObject(0).getString("code");
    }

    /** The {@code message} of the first error in an error body. */
    public static String errorMessage(HttpResponse<String> response) {
        return object(response).getJsonArray("errors").getJsonObject(0).getString("message");
    }
}
