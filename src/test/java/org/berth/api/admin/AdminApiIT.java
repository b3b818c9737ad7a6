package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.basic;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The administration API against the deployed WAR: who may do what (401, 403, 404 for private
 * projects), conflicts (409), and secrets shown once. Every test makes its own users and projects.
 */
class AdminApiIT extends ITBase {

    private AdminClient api;

    @BeforeEach
    void client() {
        api = new AdminClient(base());
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Creates a user as the administrator; returns its Basic credentials. */
    private String user(String name) {
        HttpResponse<String> r = api.send("POST", "api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + password(name) + "\"}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return basic(name, password(name));
    }

    private static String password(String name) {
        return "pw-" + name + "-1";
    }

    private void project(String name, boolean isPublic, String owner) {
        HttpResponse<String> r = api.send("POST", "api/v1/projects",
                "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}", owner);
        assertEquals(201, r.statusCode(), r.body());
    }

    // --- users ---

    @Test
    void listingUsersNeedsCredentials() {
        HttpResponse<String> r = api.get("api/v1/users", null);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals("UNAUTHORIZED", errorCode(r));
    }

    @Test
    void wrongPasswordIsUnauthorized() {
        String name = unique("u");
        user(name);
        assertEquals(401, api.get("api/v1/users/current", basic(name, "not-the-password")).statusCode());
    }

    @Test
    void onlyAdministratorsListCreateOrUpdateUsers() {
        String name = unique("u");
        String creds = user(name);
        HttpResponse<String> list = api.get("api/v1/users", creds);
        assertEquals(403, list.statusCode(), list.body());
        assertEquals("DENIED", errorCode(list));
        assertEquals(403, api.send("POST", "api/v1/users", "{\"username\":\"" + unique("x") + "\",\"password\":\"12345678\"}", creds).statusCode());
        assertEquals(403, api.send("PATCH", "api/v1/users/" + name, "{\"sysadmin\":true}", creds).statusCode());
    }

    @Test
    void administratorCreatesAndReadsUsers() {
        String name = unique("u");
        HttpResponse<String> created = api.send("POST", "api/v1/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + password(name) + "\",\"sysadmin\":false}", ADMIN);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/users/" + name));
        assertEquals(name, object(created).getString("username"));

        HttpResponse<String> read = api.get("api/v1/users/" + name, ADMIN);
        assertEquals(200, read.statusCode());
        assertFalse(object(read).getBoolean("sysadmin"));
        assertFalse(object(read).getBoolean("disabled"));

        HttpResponse<String> list = api.get("api/v1/users?page=1&page_size=2", ADMIN);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(Long.parseLong(list.headers().firstValue("X-Total-Count").orElseThrow()) >= 2);
        assertTrue(array(list).size() <= 2);
        for (HttpResponse<String> r : List.of(created, read, list)) {
            assertFalse(r.body().toLowerCase().contains("password") || r.body().toLowerCase().contains("hash"), r.body());
        }
    }

    @Test
    void duplicateUserIsAConflict() {
        String name = unique("u");
        user(name);
        HttpResponse<String> again = api.send("POST", "api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"12345678\"}", ADMIN);
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("CONFLICT", errorCode(again));
    }

    @Test
    void invalidUserRequestsAreRefused() {
        assertEquals(400, api.send("POST", "api/v1/users", "{\"username\":\"robot$x+y\",\"password\":\"12345678\"}", ADMIN).statusCode());
        assertEquals(400, api.send("POST", "api/v1/users", "{\"username\":\"" + unique("u") + "\",\"password\":\"short\"}", ADMIN).statusCode());
        HttpResponse<String> notJson = api.send("POST", "api/v1/users", "username=x", ADMIN);
        assertEquals(400, notJson.statusCode());
        assertEquals("INVALID_REQUEST", errorCode(notJson));
    }

    @Test
    void currentUserIsTheCallerAndOthersAreHidden() {
        String name = unique("u");
        String creds = user(name);
        HttpResponse<String> current = api.get("api/v1/users/current", creds);
        assertEquals(200, current.statusCode(), current.body());
        assertEquals(name, object(current).getString("username"));
        assertEquals(403, api.get("api/v1/users/admin", creds).statusCode());
    }

    @Test
    void ownPasswordChangeNeedsTheOldPassword() {
        String name = unique("u");
        String creds = user(name);
        String path = "api/v1/users/" + name + "/password";
        assertEquals(400, api.send("PUT", path, "{\"new_password\":\"brand-new-pw\"}", creds).statusCode());
        assertEquals(400, api.send("PUT", path, "{\"old_password\":\"wrong-old-pw\",\"new_password\":\"brand-new-pw\"}", creds).statusCode());
        HttpResponse<String> changed = api.send("PUT", path,
                "{\"old_password\":\"" + password(name) + "\",\"new_password\":\"brand-new-pw\"}", creds);
        assertEquals(204, changed.statusCode(), changed.body());
        assertEquals(200, api.get("api/v1/users/current", basic(name, "brand-new-pw")).statusCode());
    }

    @Test
    void administratorResetsPasswordsAndDisablesUsers() {
        String name = unique("u");
        user(name);
        HttpResponse<String> reset = api.send("PUT", "api/v1/users/" + name + "/password", "{\"new_password\":\"reset-by-admin\"}", ADMIN);
        assertEquals(204, reset.statusCode(), reset.body());
        HttpResponse<String> disabled = api.send("PATCH", "api/v1/users/" + name, "{\"disabled\":true}", ADMIN);
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertTrue(object(disabled).getBoolean("disabled"));
        // never used before being disabled, so no recently-verified login can still be remembered
        assertEquals(401, api.get("api/v1/users/current", basic(name, "reset-by-admin")).statusCode());
    }

    // --- projects ---

    @Test
    void privateProjectIsInvisibleToStrangers() {
        String owner = user(unique("u"));
        String stranger = user(unique("u"));
        String name = unique("p");
        project(name, false, owner);

        assertEquals(200, api.get("api/v1/projects/" + name, owner).statusCode());
        HttpResponse<String> hidden = api.get("api/v1/projects/" + name, stranger);
        assertEquals(404, hidden.statusCode(), hidden.body());

        HttpResponse<String> ownList = api.get("api/v1/projects?name=" + name, owner);
        assertEquals(200, ownList.statusCode(), ownList.body());
        assertEquals("1", ownList.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(name, array(ownList).getJsonObject(0).getString("name"));
        assertFalse(array(ownList).getJsonObject(0).getBoolean("public"));
        assertEquals("0", api.get("api/v1/projects?name=" + name, stranger).headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals("0", api.get("api/v1/projects?name=" + name, null).headers().firstValue("X-Total-Count").orElseThrow());
    }

    @Test
    void publicProjectsAreListedForEveryone() {
        String name = unique("p");
        project(name, true, user(unique("u")));
        HttpResponse<String> anonymous = api.get("api/v1/projects?name=" + name, null);
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals(1, array(anonymous).size());
        assertEquals(200, api.get("api/v1/projects/" + name, user(unique("u"))).statusCode());
    }

    @Test
    void duplicateProjectIsAConflict() {
        String owner = user(unique("u"));
        String name = unique("p");
        project(name, true, owner);
        HttpResponse<String> again = api.send("POST", "api/v1/projects", "{\"name\":\"" + name + "\"}", owner);
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(400, api.send("POST", "api/v1/projects", "{\"name\":\"Not Valid\"}", owner).statusCode());
    }

    @Test
    void anonymousCannotCreateProjectsOrTokens() {
        assertEquals(401, api.send("POST", "api/v1/projects", "{\"name\":\"" + unique("p") + "\"}", null).statusCode());
        assertEquals(401, api.send("POST", "api/v1/users/current/tokens", "{\"name\":\"t\",\"actions\":[\"pull\"]}", null).statusCode());
    }

    @Test
    void projectAdminChangesVisibility() {
        String owner = user(unique("u"));
        String stranger = user(unique("u"));
        String name = unique("p");
        project(name, false, owner);
        HttpResponse<String> patched = api.send("PATCH", "api/v1/projects/" + name, "{\"public\":true}", owner);
        assertEquals(200, patched.statusCode(), patched.body());
        assertTrue(object(patched).getBoolean("public"));
        assertEquals(200, api.get("api/v1/projects/" + name, stranger).statusCode());
        assertEquals(403, api.send("PATCH", "api/v1/projects/" + name, "{\"public\":false}", stranger).statusCode());
    }

    @Test
    void onlyEmptyProjectsCanBeDeleted() throws NoSuchAlgorithmException {
        String owner = user(unique("u"));
        String full = unique("p");
        project(full, false, owner);
        byte[] blob = ("layer " + full).getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        HttpResponse<byte[]> pushed = api.sendBytes(HttpRequest.newBuilder(
                        api.uri("v2/" + full + "/app/blobs/uploads/?digest=" + digest))
                .header("Authorization", owner)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build());
        assertEquals(201, pushed.statusCode());
        HttpResponse<String> refused = api.send("DELETE", "api/v1/projects/" + full, null, owner);
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("CONFLICT", errorCode(refused));

        String empty = unique("p");
        project(empty, false, owner);
        assertEquals(204, api.send("DELETE", "api/v1/projects/" + empty, null, owner).statusCode());
        assertEquals(404, api.get("api/v1/projects/" + empty, owner).statusCode());
    }

    // --- members ---

    @Test
    void membersGetAndLoseAccess() {
        String owner = user(unique("u"));
        String memberName = unique("u");
        String member = user(memberName);
        String name = unique("p");
        project(name, false, owner);
        String members = "api/v1/projects/" + name + "/members";

        HttpResponse<String> added = api.send("POST", members, "{\"username\":\"" + memberName + "\",\"role\":\"guest\"}", owner);
        assertEquals(201, added.statusCode(), added.body());
        assertEquals("guest", object(added).getString("role"));
        assertEquals(409, api.send("POST", members, "{\"username\":\"" + memberName + "\",\"role\":\"guest\"}", owner).statusCode());
        assertEquals(200, api.get("api/v1/projects/" + name, member).statusCode());
        assertEquals(403, api.send("POST", members, "{\"username\":\"admin\",\"role\":\"guest\"}", member).statusCode());

        HttpResponse<String> changed = api.send("PUT", members + "/" + memberName, "{\"role\":\"developer\"}", owner);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("developer", object(changed).getString("role"));
        HttpResponse<String> list = api.get(members, owner);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals(2, array(list).size());
        assertTrue(list.body().contains("\"project_admin\""));

        assertEquals(204, api.send("DELETE", members + "/" + memberName, null, owner).statusCode());
        assertEquals(404, api.get("api/v1/projects/" + name, member).statusCode());
    }

    @Test
    void invalidMembershipRequestsAreRefused() {
        String owner = user(unique("u"));
        String name = unique("p");
        project(name, true, owner);
        String members = "api/v1/projects/" + name + "/members";
        assertEquals(400, api.send("POST", members, "{\"username\":\"admin\",\"role\":\"owner\"}", owner).statusCode());
        assertEquals(404, api.send("POST", members, "{\"username\":\"" + unique("nobody") + "\",\"role\":\"guest\"}", owner).statusCode());
        assertEquals(404, api.send("DELETE", members + "/" + unique("nobody"), null, owner).statusCode());
    }

    // --- robot accounts ---

    @Test
    void robotSecretIsShownOnceAndLogsIn() {
        String owner = user(unique("u"));
        String project = unique("p");
        project(project, false, owner);
        String robots = "api/v1/projects/" + project + "/robots";

        HttpResponse<String> created = api.send("POST", robots,
                "{\"name\":\"ci\",\"actions\":[\"pull\",\"push\"],\"expires_at\":\"2099-01-01T00:00:00Z\"}", owner);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject robot = object(created);
        assertEquals("robot$" + project + "+ci", robot.getString("name"));
        String secret = robot.getString("secret");
        assertTrue(secret.length() >= 40);
        assertTrue(created.headers().firstValue("Cache-Control").orElse("").contains("no-store"));

        HttpResponse<String> list = api.get(robots, owner);
        assertEquals(200, list.statusCode(), list.body());
        assertFalse(list.body().contains(secret));
        assertFalse(array(list).getJsonObject(0).containsKey("secret"));

        assertEquals(200, api.get("api/v1/projects/" + project, basic("robot$" + project + "+ci", secret)).statusCode());
        assertEquals(409, api.send("POST", robots, "{\"name\":\"ci\",\"actions\":[\"pull\"]}", owner).statusCode());
        assertEquals(400, api.send("POST", robots, "{\"name\":\"x\",\"actions\":[\"admin\"]}", owner).statusCode());
    }

    @Test
    void disabledOrDeletedRobotsAreGone() {
        String owner = user(unique("u"));
        String project = unique("p");
        project(project, false, owner);
        String robots = "api/v1/projects/" + project + "/robots";
        String secret = object(api.send("POST", robots, "{\"name\":\"bot\",\"actions\":[\"pull\"]}", owner)).getString("secret");

        HttpResponse<String> disabled = api.send("PATCH", robots + "/bot", "{\"disabled\":true}", owner);
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertTrue(object(disabled).getBoolean("disabled"));
        assertEquals(401, api.get("api/v1/projects/" + project, basic("robot$" + project + "+bot", secret)).statusCode());

        assertEquals(404, api.get(robots, user(unique("u"))).statusCode(), "a private project's robots are hidden from strangers");
        assertEquals(204, api.send("DELETE", robots + "/bot", null, owner).statusCode());
        assertEquals(404, api.send("DELETE", robots + "/bot", null, owner).statusCode());
    }

    // --- personal access tokens ---

    @Test
    void personalTokenIsShownOnceAndWorksAsPassword() {
        String name = unique("u");
        String creds = user(name);
        String tokens = "api/v1/users/current/tokens";

        HttpResponse<String> created = api.send("POST", tokens, "{\"name\":\"laptop\",\"actions\":[\"pull\"]}", creds);
        assertEquals(201, created.statusCode(), created.body());
        String token = object(created).getString("token");
        assertTrue(token.startsWith("berth_pat_"), token);

        HttpResponse<String> list = api.get(tokens, creds);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals(1, array(list).size());
        assertFalse(list.body().contains(token));
        assertFalse(array(list).getJsonObject(0).containsKey("token"));

        HttpResponse<String> viaToken = api.get("api/v1/users/current", basic(name, token));
        assertEquals(200, viaToken.statusCode(), viaToken.body());
        assertEquals(name, object(viaToken).getString("username"));
        assertEquals(409, api.send("POST", tokens, "{\"name\":\"laptop\",\"actions\":[\"pull\"]}", creds).statusCode());
    }

    @Test
    void revokedTokenNoLongerWorks() {
        String name = unique("u");
        String creds = user(name);
        String tokens = "api/v1/users/current/tokens";
        String token = object(api.send("POST", tokens, "{\"name\":\"ci\",\"actions\":[\"pull\",\"push\"]}", creds)).getString("token");
        assertEquals(204, api.send("DELETE", tokens + "/ci", null, creds).statusCode());
        assertEquals(404, api.send("DELETE", tokens + "/never", null, creds).statusCode());
        assertEquals(401, api.get("api/v1/users/current", basic(name, token)).statusCode());
        JsonObject listed = array(api.get(tokens, creds)).getJsonObject(0);
        assertEquals(JsonValue.TRUE, listed.get("revoked"));
    }

    @Test
    void unknownEndpointIsAJsonNotFound() {
        HttpResponse<String> r = api.get("api/v1/no-such-thing", ADMIN);
        assertEquals(404, r.statusCode());
        assertEquals("NOT_FOUND", errorCode(r));
    }
}
