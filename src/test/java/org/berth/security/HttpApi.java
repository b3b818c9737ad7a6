package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.berth.ITBase;

/** Plain HTTP against the deployed WAR for the security ITs: JSON bodies, extra headers, no redirects. */
final class HttpApi {

    static final String ADMIN = basic("admin", ITBase.ADMIN_PASSWORD);

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    HttpApi(URI base) {
        this.base = base;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String password(String name) {
        return "pw-" + name + "-1";
    }

    /**
     * @param path    relative to the server root, e.g. {@code api/v1/users}
     * @param body    a JSON body, or null
     * @param headers more headers, name and value in turn
     */
    HttpResponse<String> send(String method, String path, String body, String authorization, String... headers) {
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

    HttpResponse<String> get(String path, String authorization) {
        return send("GET", path, null, authorization);
    }

    /** Creates a user as the administrator; returns its Basic credentials. */
    String user(String name) {
        HttpResponse<String> r = send("POST", "api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + password(name) + "\"}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return basic(name, password(name));
    }

    /** Creates a project as {@code owner}, who becomes its project admin. */
    void project(String name, boolean isPublic, String owner) {
        HttpResponse<String> r = send("POST", "api/v1/projects", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}", owner);
        assertEquals(201, r.statusCode(), r.body());
    }

    static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    static JsonArray array(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    /** The code of the first error of an OCI error body. */
    static String errorCode(HttpResponse<String> response) {
        return object(response).getJsonArray("errors").getJsonObject(0).getString("code");
    }

    /** The message of the first error of an OCI error body. */
    static String errorMessage(HttpResponse<String> response) {
        return object(response).getJsonArray("errors").getJsonObject(0).getString("message");
    }
}
