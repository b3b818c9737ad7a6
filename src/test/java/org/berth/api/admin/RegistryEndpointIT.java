package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.ServerLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registry endpoints against the deployed WAR (issue 20, part D): system administrators create,
 * list, read, change and delete them and test the connection; nobody else may; bad input is a
 * 400 in the OCI error format; and the password never comes back, neither in a response nor in
 * the audit log.
 *
 * <p>The server's log is what {@link ServerLog} sees of it: the lines Payara Micro prints while
 * the test runs, as the Arquillian adapter relays them. A test can show that none of them holds
 * the password, not that the server printed anything at all (Berth logs little on these routes).
 */
class RegistryEndpointIT extends ITBase {

    private static final String REGISTRIES = "api/v1/registries";

    private AdminClient api;
    private ContentFixture fx;
    private ServerLog serverLog;
    /** Every response a test received: none may hold a password it sent. */
    private final List<HttpResponse<String>> seen = new ArrayList<>();

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
        serverLog = ServerLog.capture();
    }

    @AfterEach
    void stopCapture() {
        serverLog.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) {
        HttpResponse<String> r = api.send(method, path, body, authorization);
        seen.add(r);
        return r;
    }

    /** Not in any response the test received, nor in what the server logged meanwhile. */
    private void assertNeverShown(String password) {
        assertFalse(serverLog.text().contains(password), "the server logged the password");
        for (HttpResponse<String> r : seen) {
            assertFalse(r.body().contains(password), r.request().method() + " " + r.uri() + ": " + r.body());
            for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
                assertFalse(h.getValue().toString().contains(password), h.toString());
            }
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, errorCode(r), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    }

    private static String body(String name, String url, String username, String password) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url + "\""
                + (username == null ? "" : ",\"username\":\"" + username + "\"")
                + (password == null ? "" : ",\"password\":\"" + password + "\"")
                + ",\"verify_tls\":true,\"unknown_field\":42}";
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void systemAdministratorsManageEndpointsAndNeverSeeThePassword() throws IOException {
        String name = ContentFixture.unique("r");
        String password = "pw-" + ContentFixture.unique("secret");

        HttpResponse<String> created = send("POST", REGISTRIES, body(name, "https://registry.example.test/", "puller", password), ADMIN);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/" + REGISTRIES + "/" + name));
        JsonObject view = object(created);
        assertEquals(name, view.getString("name"));
        assertEquals("https://registry.example.test", view.getString("url"));
        assertEquals("puller", view.getString("username"));
        assertTrue(view.getBoolean("has_password"));
        assertTrue(view.getBoolean("verify_tls"));
        assertFalse(view.containsKey("password"));
        assertTrue(view.containsKey("created_at"));
        assertEquals(Set.of("name", "url", "username", "has_password", "verify_tls", "created_at"), view.keySet());

        HttpResponse<String> one = send("GET", REGISTRIES + "/" + name, null, ADMIN);
        assertEquals(200, one.statusCode(), one.body());
        JsonObject oneView = object(one);
        assertEquals("ok", oneView.getJsonObject("status").getString("state"), one.body());
        assertEquals(view, Json.createObjectBuilder(oneView).remove("status").build());

        HttpResponse<String> list = send("GET", REGISTRIES + "?page_size=100", null, ADMIN);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(Long.parseLong(list.headers().firstValue("X-Total-Count").orElseThrow()) >= 1);
        assertTrue(array(list).getValuesAs(JsonObject.class).stream().anyMatch(e -> e.equals(view)), list.body());

        assertError(send("POST", REGISTRIES, body(name, "https://other.example.test", null, null), ADMIN), 409, "CONFLICT");

        // the URL and TLS change; the credentials stay
        HttpResponse<String> moved = send("PATCH", REGISTRIES + "/" + name,
                "{\"url\":\"http://127.0.0.1:" + closedPort() + "\",\"verify_tls\":false}", ADMIN);
        assertEquals(200, moved.statusCode(), moved.body());
        assertFalse(object(moved).getBoolean("verify_tls"));
        assertTrue(object(moved).getBoolean("has_password"));
        assertEquals("puller", object(moved).getString("username"));
        assertEquals(view.getString("created_at"), object(moved).getString("created_at"));

        // the test reaches nothing (loopback, a closed port): an answer, not an error
        HttpResponse<String> ping = send("POST", REGISTRIES + "/" + name + "/ping", null, ADMIN);
        assertEquals(200, ping.statusCode(), ping.body());
        assertFalse(object(ping).getBoolean("ok"), ping.body());
        assertEquals("unreachable", object(ping).getString("reason"), ping.body());
        assertFalse(object(ping).getString("message").isEmpty());

        // a new password, then none (null and "" both remove it)
        String second = "pw-" + ContentFixture.unique("other");
        HttpResponse<String> changed = send("PATCH", REGISTRIES + "/" + name, "{\"password\":\"" + second + "\"}", ADMIN);
        assertEquals(200, changed.statusCode(), changed.body());
        assertTrue(object(changed).getBoolean("has_password"));
        HttpResponse<String> removed = send("PATCH", REGISTRIES + "/" + name, "{\"password\":null,\"username\":\"\"}", ADMIN);
        assertEquals(200, removed.statusCode(), removed.body());
        assertFalse(object(removed).getBoolean("has_password"));
        assertEquals(JsonValue.NULL, object(removed).get("username"));

        assertEquals(204, send("DELETE", REGISTRIES + "/" + name, null, ADMIN).statusCode());
        assertError(send("GET", REGISTRIES + "/" + name, null, ADMIN), 404, "NOT_FOUND");
        assertError(send("DELETE", REGISTRIES + "/" + name, null, ADMIN), 404, "NOT_FOUND");
        assertError(send("PATCH", REGISTRIES + "/" + name, "{\"verify_tls\":true}", ADMIN), 404, "NOT_FOUND");
        assertError(send("POST", REGISTRIES + "/" + name + "/ping", null, ADMIN), 404, "NOT_FOUND");

        // each change is audited under the endpoint's name, system-wide (no project), and without the password
        String log = "api/v1/audit-logs?resource=" + name + "&page_size=100";
        for (String operation : new String[] {"registry_create", "registry_update", "registry_delete"}) {
            JsonObject entry = api.awaitEntry(log, ADMIN, e -> e.getString("operation").equals(operation)
                    && e.getString("result").equals("success"), operation);
            assertEquals("registry", entry.getString("resource_type"));
            assertEquals(name, entry.getString("resource"));
            assertEquals(JsonValue.NULL, entry.get("project"), entry.toString());
        }
        api.awaitEntry(log, ADMIN, e -> e.getString("operation").equals("registry_create")
                && e.getString("result").equals("failure"), "the refused second create");
        seen.add(api.get(log, ADMIN));
        seen.add(api.get("api/v1/audit-logs?operation=registry_update&page_size=100", ADMIN));
        assertNeverShown(password);
        assertNeverShown(second);
    }

    @Test
    void onlySystemAdministratorsMayTouchEndpoints() {
        String name = ContentFixture.unique("r");
        assertEquals(201, send("POST", REGISTRIES, body(name, "https://registry.example.test", null, null), ADMIN).statusCode());
        String user = fx.user(ContentFixture.unique("u"));
        String member = fx.member(fx.project(false), "project_admin");
        List<String[]> routes = List.of(
                new String[] {"GET", REGISTRIES, null},
                new String[] {"POST", REGISTRIES, body(ContentFixture.unique("r"), "https://x.example.test", null, null)},
                new String[] {"GET", REGISTRIES + "/" + name, null},
                new String[] {"PATCH", REGISTRIES + "/" + name, "{\"verify_tls\":false}"},
                new String[] {"DELETE", REGISTRIES + "/" + name, null},
                new String[] {"POST", REGISTRIES + "/" + name + "/ping", null});
        for (String[] route : routes) {
            assertError(send(route[0], route[1], route[2], user), 403, "DENIED");
            assertError(send(route[0], route[1], route[2], member), 403, "DENIED");
            HttpResponse<String> anonymous = send(route[0], route[1], route[2], null);
            assertError(anonymous, 401, "UNAUTHORIZED");
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent(), route[0] + " " + route[1]);
        }
        // nothing changed
        JsonObject view = object(send("GET", REGISTRIES + "/" + name, null, ADMIN));
        assertTrue(view.getBoolean("verify_tls"));
        assertEquals(204, send("DELETE", REGISTRIES + "/" + name, null, ADMIN).statusCode());
    }

    @Test
    void badEndpointsAreRefusedWithInvalidRequest() {
        String password = "pw-" + ContentFixture.unique("bad");
        String name = ContentFixture.unique("r");
        List<String> bodies = List.of(
                "",
                "not json",
                "[]",
                "{\"url\":\"https://x.example.test\"}",
                "{\"name\":\"" + name + "\"}",
                body("Upper", "https://x.example.test", null, null),
                body("a/b", "https://x.example.test", null, null),
                body(name, "ftp://x.example.test", null, password),
                body(name, "x.example.test", null, password),
                body(name, "https://user:" + password + "@x.example.test", null, null),
                body(name, "https://x.example.test/?token=" + password, null, null),
                body(name, "https://x.example.test/#" + password, null, null),
                body(name, "https://x.example.test", "u".repeat(256), password),
                body(name, "https://x.example.test", "a:b", password),
                body(name, "https://x.example.test", "u", password + "p".repeat(1024)),
                "{\"name\":\"" + name + "\",\"url\":\"https://x.example.test\",\"verify_tls\":\"yes\"}",
                "{\"name\":\"" + name + "\",\"url\":\"https://x.example.test\",\"password\":7}");
        for (String b : bodies) {
            HttpResponse<String> r = send("POST", REGISTRIES, b, ADMIN);
            assertError(r, 400, "INVALID_REQUEST");
        }
        assertError(send("GET", REGISTRIES + "/" + name, null, ADMIN), 404, "NOT_FOUND");
        assertError(send("GET", REGISTRIES + "?page_size=1000", null, ADMIN), 400, "INVALID_REQUEST");

        assertEquals(201, send("POST", REGISTRIES, body(name, "https://x.example.test", "u", password), ADMIN).statusCode());
        for (String b : List.of("{\"url\":\"ftp://x.example.test\"}", "{\"url\":\"https://u:p@x.example.test\"}",
                "{\"password\":\"" + "p".repeat(1025) + "\"}", "{\"verify_tls\":null,\"url\":7}", "{}x")) {
            assertError(send("PATCH", REGISTRIES + "/" + name, b, ADMIN), 400, "INVALID_REQUEST");
        }
        assertEquals("https://x.example.test", object(send("GET", REGISTRIES + "/" + name, null, ADMIN)).getString("url"));
        assertEquals(204, send("DELETE", REGISTRIES + "/" + name, null, ADMIN).statusCode());
        String log = "api/v1/audit-logs?resource=" + name + "&page_size=100";
        api.awaitEntry(log, ADMIN, e -> e.getString("operation").equals("registry_delete"), "the delete");
        JsonObject refused = api.awaitEntry(log, ADMIN, e -> e.getString("operation").equals("registry_create")
                && e.getString("result").equals("failure"), "a refused create");
        assertTrue(refused.getString("detail").startsWith("400: INVALID_REQUEST"), refused.toString());
        seen.add(api.get(log, ADMIN));
        assertNeverShown(password);
    }
}
