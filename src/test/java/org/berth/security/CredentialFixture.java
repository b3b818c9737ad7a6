package org.berth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.berth.ITBase;
import org.berth.support.Json;
import org.berth.support.RegistryClient;

/**
 * What the security ITs make as the system administrator (users, projects, members, personal
 * tokens, robots, images) and how they ask the token service, each with names of its own.
 */
final class CredentialFixture {

    static final String PASSWORD = "Passw0rd-Secure!";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final URI base;
    private final RegistryClient admin;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);

    CredentialFixture(URI base) {
        this.base = base;
        this.admin = new RegistryClient(base).withBasicAuth("admin", ITBase.ADMIN_PASSWORD);
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** A request with the given Authorization header (none when null). */
    RegistryClient.Response call(String method, String path, String authorization, String json) {
        RegistryClient.Request r = new RegistryClient(base).request(method, path);
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        if (json != null) {
            r.contentType("application/json").body(json.getBytes(StandardCharsets.UTF_8));
        }
        return r.send();
    }

    RegistryClient.Response asAdmin(String method, String path, String json) {
        return call(method, path, basic("admin", ITBase.ADMIN_PASSWORD), json);
    }

    String user(String prefix) {
        String name = prefix + "-" + suffix;
        RegistryClient.Response r = asAdmin("POST", "/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    String project(String prefix, boolean isPublic) {
        String name = prefix + "-" + suffix;
        RegistryClient.Response r = asAdmin("POST", "/api/v1/projects", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}");
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    void member(String project, String user, String role) {
        RegistryClient.Response r = asAdmin("POST", "/api/v1/projects/" + project + "/members",
                "{\"username\":\"" + user + "\",\"role\":\"" + role + "\"}");
        assertTrue(r.status() == 201 || r.status() == 200, r.toString());
    }

    /** A personal access token of the user, made with its password. */
    String personalToken(String user, String name, String actions) {
        RegistryClient.Response r = call("POST", "/api/v1/users/current/tokens", basic(user, PASSWORD),
                "{\"name\":\"" + name + "\",\"actions\":[" + actions + "]}");
        assertEquals(201, r.status(), r.toString());
        return (String) json(r).get("token");
    }

    /** A robot of the project: its login name and secret. */
    String[] robot(String project, String name, String actions) {
        RegistryClient.Response r = asAdmin("POST", "/api/v1/projects/" + project + "/robots",
                "{\"name\":\"" + name + "\",\"actions\":[" + actions + "]}");
        assertEquals(201, r.status(), r.toString());
        Map<String, Object> robot = json(r);
        return new String[] {(String) robot.get("name"), (String) robot.get("secret")};
    }

    /** GET /service/token as docker asks, with Basic credentials (or none). */
    RegistryClient.Response token(String authorization, boolean offline, String... scopes) {
        StringBuilder q = new StringBuilder("/service/token?service=berth");
        for (String s : scopes) {
            q.append("&scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        if (offline) {
            q.append("&offline_token=true");
        }
        return call("GET", q.toString(), authorization, null);
    }

    /** The OAuth2 refresh grant, as podman and the portal ask. */
    RegistryClient.Response refresh(String refreshToken, String... scopes) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token&service=berth&refresh_token=")
                .append(URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
        for (String s : scopes) {
            form.append("&scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return new RegistryClient(base).request("POST", "/service/token").contentType("application/x-www-form-urlencoded")
                .body(form.toString().getBytes(StandardCharsets.UTF_8)).send();
    }

    static String bearer(RegistryClient.Response tokenResponse) {
        assertEquals(200, tokenResponse.status(), tokenResponse.toString());
        return "Bearer " + json(tokenResponse).get("token");
    }

    /** The claims of a JWT (read, not verified: the server verifies). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String bearer) {
        String jwt = bearer.substring(bearer.indexOf(' ') + 1);
        String payload = jwt.split("\\.")[1];
        return (Map<String, Object>) Json.parse(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(RegistryClient.Response r) {
        return (Map<String, Object>) Json.parse(r.bodyText());
    }

    /** Pushes a one-layer image; returns the manifest PUT's status (or the failing blob upload's). */
    int pushImage(String authorization, String repo, String tag) {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"n\":\"" + repo + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repo + tag).getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            RegistryClient.Request post = new RegistryClient(base)
                    .request("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + RegistryClient.sha256(blob))
                    .contentType("application/octet-stream").body(blob);
            if (authorization != null) {
                post.header("Authorization", authorization);
            }
            int status = post.send().status();
            if (status != 201) {
                return status;
            }
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + RegistryClient.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + RegistryClient.sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        RegistryClient.Request put = new RegistryClient(base).request("PUT", "/v2/" + repo + "/manifests/" + tag)
                .contentType(OCI_MANIFEST).body(manifest.getBytes(StandardCharsets.UTF_8));
        if (authorization != null) {
            put.header("Authorization", authorization);
        }
        return put.send().status();
    }
}
