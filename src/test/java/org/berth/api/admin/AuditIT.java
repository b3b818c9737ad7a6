package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.basic;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log through the API: an entry for each operation with its actor, kind, source and
 * result; the filters; who may read which entries. Entries are written asynchronously (about a
 * second), so reads poll. Every test makes its own users and projects.
 */
class AuditIT extends ITBase {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");

    private AdminClient api;

    @BeforeEach
    void client() {
        api = new AdminClient(base());
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private String user(String name) {
        HttpResponse<String> r = api.send("POST", "api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"pw-" + name + "-1\"}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return basic(name, "pw-" + name + "-1");
    }

    private void project(String name, boolean isPublic, String owner) {
        HttpResponse<String> r = api.send("POST", "api/v1/projects", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}", owner);
        assertEquals(201, r.statusCode(), r.body());
    }

    private void member(String project, String username, String role, String owner) {
        HttpResponse<String> r = api.send("POST", "api/v1/projects/" + project + "/members",
                "{\"username\":\"" + username + "\",\"role\":\"" + role + "\"}", owner);
        assertEquals(201, r.statusCode(), r.body());
    }

    private static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes a one-config image manifest; returns the PUT's status. */
    private int push(String repository, String tag, String authorization) {
        byte[] config = ("{\"created\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        String configDigest = sha256(config);
        HttpResponse<byte[]> blob = api.sendBytes(HttpRequest.newBuilder(
                        api.uri("v2/" + repository + "/blobs/uploads/?digest=" + configDigest))
                .header("Authorization", authorization)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(config)).build());
        if (blob.statusCode() != 201) {
            return blob.statusCode();
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[]}";
        return manifestRequest("PUT", repository, tag, authorization, manifest).statusCode();
    }

    private HttpResponse<byte[]> manifestRequest(String method, String repository, String reference, String authorization,
                                                 String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("v2/" + repository + "/manifests/" + reference))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return api.sendBytes(request.build());
    }

    private static String query(String... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            q.append(i == 0 ? "?" : "&").append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    /** Polls the listing until an entry matches (the writer flushes about every second). */
    private JsonObject await(String path, String authorization, Predicate<JsonObject> wanted, String what) {
        return api.awaitEntry(path, authorization, wanted, what);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Predicate<JsonObject> entry(String operation, String username, String resource, String result) {
        return e -> operation.equals(e.getString("operation")) && username.equals(e.getString("username"))
                && (resource == null || resource.equals(e.getString("resource", null)))
                && result.equals(e.getString("result"));
    }

    private static void assertFromLoopback(JsonObject entry) {
        assertTrue(LOOPBACK.contains(entry.getString("source_ip")), entry.toString());
        assertNotNull(Instant.parse(entry.getString("at")));
    }

    // --- one entry per operation ---

    @Test
    void pushPullDeleteAndDeniedPushAreRecorded() {
        String ownerName = unique("u");
        String owner = user(ownerName);
        String guestName = unique("g");
        String guest = user(guestName);
        String p = unique("p");
        project(p, false, owner);
        member(p, guestName, "guest", owner);
        String repo = p + "/app";

        assertEquals(201, push(repo, "1.0", owner));
        HttpResponse<byte[]> pulled = manifestRequest("GET", repo, "1.0", owner, null);
        assertEquals(200, pulled.statusCode());
        String digest = pulled.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertEquals(403, manifestRequest("PUT", repo, "evil", guest,
                new String(pulled.body(), StandardCharsets.UTF_8)).statusCode());
        assertEquals(202, manifestRequest("DELETE", repo, "1.0", owner, null).statusCode());
        assertEquals(202, manifestRequest("DELETE", repo, digest, owner, null).statusCode());

        String log = "api/v1/audit-logs" + query("project", p);
        JsonObject push = await(log, ADMIN, entry("push", ownerName, repo + ":1.0", "success"), "push");
        assertEquals("user", push.getString("kind"));
        assertEquals("artifact", push.getString("resource_type"));
        assertEquals(p, push.getString("project"));
        assertEquals(digest, push.getString("detail"));
        assertFromLoopback(push);
        assertFromLoopback(await(log, ADMIN, entry("pull", ownerName, repo + ":1.0", "success"), "pull"));
        JsonObject denied = await(log, ADMIN, entry("push", guestName, repo + ":evil", "failure"), "denied push");
        assertTrue(denied.getString("detail").startsWith("403"), denied.toString());
        assertEquals("tag", await(log, ADMIN, entry("delete", ownerName, repo + ":1.0", "success"), "tag delete")
                .getString("resource_type"));
        assertEquals("artifact", await(log, ADMIN, entry("delete", ownerName, repo + "@" + digest, "success"), "delete")
                .getString("resource_type"));
    }

    @Test
    void loginsAreCountedPerTokenAndFailuresRecorded() {
        String name = unique("u");
        String creds = user(name);
        HttpResponse<String> token = api.get("service/token?service=berth&scope=repository:library/x:pull", creds);
        assertEquals(200, token.statusCode(), token.body());
        // Basic credentials straight on /v2 and /api are not logins
        assertEquals(200, api.get("api/v1/users/current", creds).statusCode());
        assertEquals(401, api.get("service/token?service=berth", basic(name, "wrong-password")).statusCode());

        String log = "api/v1/audit-logs" + query("username", name);
        JsonObject login = await(log, ADMIN, entry("login", name, name, "success"), "login");
        assertEquals("user", login.getString("kind"));
        assertFromLoopback(login);
        JsonObject failed = await(log, ADMIN, entry("login_failed", name, name, "failure"), "failed login");
        assertEquals("incorrect username or password", failed.getString("detail"));
        sleep(1500); // anything else would have been flushed by now
        HttpResponse<String> logins = api.get(log + "&operation=login", ADMIN);
        assertEquals(1, array(logins).size(), logins.body());
        assertEquals("1", logins.headers().firstValue("X-Total-Count").orElseThrow());
    }

    @Test
    void administrationChangesAreRecorded() {
        String ownerName = unique("u");
        String owner = user(ownerName);
        String otherName = unique("o");
        user(otherName);
        String p = unique("p");
        project(p, false, owner);
        String members = "api/v1/projects/" + p + "/members";
        member(p, otherName, "developer", owner);
        assertEquals(200, api.send("PUT", members + "/" + otherName, "{\"role\":\"maintainer\"}", owner).statusCode());
        assertEquals(204, api.send("DELETE", members + "/" + otherName, null, owner).statusCode());
        String robots = "api/v1/projects/" + p + "/robots";
        assertEquals(201, api.send("POST", robots, "{\"name\":\"ci\",\"actions\":[\"pull\"]}", owner).statusCode());
        assertEquals(200, api.send("PATCH", robots + "/ci", "{\"disabled\":true}", owner).statusCode());
        assertEquals(204, api.send("DELETE", robots + "/ci", null, owner).statusCode());
        assertEquals(200, api.send("PATCH", "api/v1/projects/" + p, "{\"public\":true}", owner).statusCode());
        HttpResponse<String> pat = api.send("POST", "api/v1/users/current/tokens", "{\"name\":\"laptop\",\"actions\":[\"pull\"]}", owner);
        assertEquals(201, pat.statusCode(), pat.body());
        assertEquals(204, api.send("DELETE", "api/v1/users/current/tokens/laptop", null, owner).statusCode());
        assertEquals(204, api.send("PUT", "api/v1/users/" + otherName + "/password", "{\"new_password\":\"pw-reset-12345\"}", ADMIN)
                .statusCode());
        assertEquals(200, api.send("PATCH", "api/v1/users/" + otherName, "{\"disabled\":true}", ADMIN).statusCode());
        String empty = unique("e");
        project(empty, false, owner);
        assertEquals(204, api.send("DELETE", "api/v1/projects/" + empty, null, owner).statusCode());

        String inProject = "api/v1/audit-logs" + query("project", p);
        await(inProject, ADMIN, entry("project_create", ownerName, p, "success"), "project_create");
        await(inProject, ADMIN, entry("member_add", ownerName, otherName, "success"), "member_add");
        await(inProject, ADMIN, entry("member_update", ownerName, otherName, "success"), "member_update");
        await(inProject, ADMIN, entry("member_remove", ownerName, otherName, "success"), "member_remove");
        JsonObject robot = await(inProject, ADMIN, entry("robot_create", ownerName, "ci", "success"), "robot_create");
        assertEquals("robot", robot.getString("resource_type"));
        await(inProject, ADMIN, entry("robot_update", ownerName, "ci", "success"), "robot_update");
        await(inProject, ADMIN, entry("robot_delete", ownerName, "ci", "success"), "robot_delete");
        await(inProject, ADMIN, entry("project_update", ownerName, p, "success"), "project_update");
        await("api/v1/audit-logs" + query("project", empty), ADMIN, entry("project_delete", ownerName, empty, "success"), "project_delete");

        String byOwner = "api/v1/audit-logs" + query("username", ownerName);
        await(byOwner, ADMIN, entry("token_create", ownerName, "laptop", "success"), "token_create");
        await(byOwner, ADMIN, entry("token_revoke", ownerName, "laptop", "success"), "token_revoke");
        String byAdmin = "api/v1/audit-logs" + query("username", "admin", "resource", otherName);
        await(byAdmin, ADMIN, entry("user_create", "admin", otherName, "success"), "user_create");
        await(byAdmin, ADMIN, entry("password_change", "admin", otherName, "success"), "password_change");
        await(byAdmin, ADMIN, entry("user_update", "admin", otherName, "success"), "user_update");
    }

    @Test
    void refusedAdministrationIsRecordedAsFailure() {
        String ownerName = unique("u");
        String owner = user(ownerName);
        String guestName = unique("g");
        String guest = user(guestName);
        String p = unique("p");
        project(p, false, owner);
        member(p, guestName, "guest", owner);
        assertEquals(403, api.send("POST", "api/v1/projects/" + p + "/robots", "{\"name\":\"x\",\"actions\":[\"pull\"]}", guest)
                .statusCode());
        JsonObject refused = await("api/v1/audit-logs" + query("project", p), ADMIN,
                entry("robot_create", guestName, null, "failure"), "refused robot_create");
        assertTrue(refused.getString("detail").startsWith("403"), refused.toString());
        // the body of a refused call is never read, so the resource it names is not known
        assertTrue(refused.isNull("resource"), refused.toString());
    }

    @Test
    void robotsAndPersonalTokensHaveTheirKind() {
        String ownerName = unique("u");
        String owner = user(ownerName);
        String p = unique("p");
        project(p, false, owner);
        HttpResponse<String> robot = api.send("POST", "api/v1/projects/" + p + "/robots", "{\"name\":\"ci\",\"actions\":[\"pull\",\"push\"]}", owner);
        String robotName = object(robot).getString("name");
        String robotCreds = basic(robotName, object(robot).getString("secret"));
        HttpResponse<String> pat = api.send("POST", "api/v1/users/current/tokens", "{\"name\":\"t\",\"actions\":[\"pull\",\"push\"]}", owner);
        String patCreds = basic(ownerName, object(pat).getString("token"));

        assertEquals(201, push(p + "/bot", "1", robotCreds));
        assertEquals(201, push(p + "/pat", "1", patCreds));
        assertEquals(200, api.get("service/token?service=berth&scope=repository:" + p + "/bot:pull", robotCreds).statusCode());

        String log = "api/v1/audit-logs" + query("project", p);
        assertEquals("robot", await(log, ADMIN, entry("push", robotName, p + "/bot:1", "success"), "robot push").getString("kind"));
        assertEquals("token", await(log, ADMIN, entry("push", ownerName, p + "/pat:1", "success"), "token push").getString("kind"));
        assertEquals("robot", await(log, ADMIN, entry("login", robotName, robotName, "success"), "robot login").getString("kind"));
    }

    // --- filters and rights ---

    @Test
    void filtersNarrowTheListing() {
        String ownerName = unique("u");
        String owner = user(ownerName);
        String p = unique("p");
        project(p, true, owner);
        assertEquals(201, push(p + "/one", "a", owner));
        assertEquals(201, push(p + "/two", "a", owner));
        Instant between = Instant.now();
        sleep(50);
        assertEquals(200, manifestRequest("GET", p + "/one", "a", owner, null).statusCode());
        String log = "api/v1/audit-logs" + query("project", p);
        await(log, ADMIN, entry("pull", ownerName, p + "/one:a", "success"), "pull");

        HttpResponse<String> pushes = api.get(log + "&operation=push", ADMIN);
        assertEquals(2, array(pushes).size(), pushes.body());
        HttpResponse<String> one = api.get(log + "&resource=" + p + "/one", ADMIN);
        assertEquals(List.of("pull", "push"), operations(array(one)));
        HttpResponse<String> after = api.get(log + "&from=" + between, ADMIN);
        assertEquals(List.of("pull"), operations(array(after)));
        HttpResponse<String> before = api.get(log + "&to=" + between, ADMIN);
        assertFalse(operations(array(before)).contains("pull"), before.body());
        assertEquals(List.of(), operations(array(api.get(log + "&username=nobody-" + p, ADMIN))));

        HttpResponse<String> page = api.get(log + "&page=1&page_size=2", ADMIN);
        assertEquals(2, array(page).size());
        long total = Long.parseLong(page.headers().firstValue("X-Total-Count").orElseThrow());
        assertTrue(total >= 4, "project_create, two pushes, a pull: " + total);
        assertTrue(page.headers().firstValue("Link").orElse("").contains("page=2"));
        // newest first
        assertEquals("pull", array(page).getJsonObject(0).getString("operation"));

        assertEquals(400, api.get(log + "&operation=dance", ADMIN).statusCode());
        assertEquals(400, api.get(log + "&from=yesterday", ADMIN).statusCode());
    }

    private static List<String> operations(JsonArray entries) {
        return entries.getValuesAs(JsonObject.class).stream().map(e -> e.getString("operation")).toList();
    }

    @Test
    void projectAdminsSeeOnlyTheirProject() {
        String aliceName = unique("a");
        String alice = user(aliceName);
        String bobName = unique("b");
        String bob = user(bobName);
        String guestName = unique("g");
        String guest = user(guestName);
        String pa = unique("pa");
        String pb = unique("pb");
        project(pa, false, alice);
        project(pb, false, bob);
        member(pa, guestName, "guest", alice);
        assertEquals(201, push(pb + "/secret", "1", bob));
        await("api/v1/audit-logs" + query("project", pb), ADMIN, entry("push", bobName, pb + "/secret:1", "success"), "push");

        JsonObject own = await("api/v1/projects/" + pa + "/audit-logs", alice, entry("member_add", aliceName, guestName, "success"), "own");
        assertEquals(pa, own.getString("project"));
        HttpResponse<String> viaFilter = api.get("api/v1/audit-logs" + query("project", pa), alice);
        assertEquals(200, viaFilter.statusCode());
        assertTrue(array(viaFilter).getValuesAs(JsonObject.class).stream().allMatch(e -> pa.equals(e.getString("project"))));
        assertFalse(viaFilter.body().contains(pb));

        // another private project: not even its existence is told; the whole log is for system admins
        assertEquals(404, api.get("api/v1/audit-logs" + query("project", pb), alice).statusCode());
        assertEquals(404, api.get("api/v1/projects/" + pb + "/audit-logs", alice).statusCode());
        assertEquals(403, api.get("api/v1/audit-logs", alice).statusCode());
        // a guest of the project is no project admin
        assertEquals(403, api.get("api/v1/projects/" + pa + "/audit-logs", guest).statusCode());
        assertEquals(403, api.get("api/v1/audit-logs" + query("project", pa), guest).statusCode());
        assertEquals(401, api.get("api/v1/audit-logs", null).statusCode());
        assertEquals(401, api.get("api/v1/projects/" + pa + "/audit-logs", null).statusCode());
    }
}
