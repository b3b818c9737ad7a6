package org.berth.security;

import static org.berth.security.HttpApi.ADMIN;
import static org.berth.security.HttpApi.array;
import static org.berth.security.HttpApi.basic;
import static org.berth.security.HttpApi.errorCode;
import static org.berth.security.HttpApi.errorMessage;
import static org.berth.security.HttpApi.object;
import static org.berth.security.HttpApi.password;
import static org.berth.security.HttpApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 15: the rights nobody must lose by accident (the last system administrator, a
 * project's last project admin, the project {@code library}), user names that differ only in
 * case, and a revoked personal token's name. The shared server's one system administrator
 * {@code admin} is only ever refused here, never changed.
 */
class GuardsIT extends ITBase {

    private HttpApi api;

    @BeforeEach
    void client() {
        api = new HttpApi(base());
    }

    /** Every enabled system administrator, walking all pages of the user listing. */
    private List<String> enabledSysadmins() {
        List<String> names = new ArrayList<>();
        for (int page = 1; ; page++) {
            HttpResponse<String> r = api.get("api/v1/users?page_size=100&page=" + page, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            List<JsonObject> users = array(r).getValuesAs(JsonObject.class);
            users.stream().filter(u -> u.getBoolean("sysadmin") && !u.getBoolean("disabled"))
                    .forEach(u -> names.add(u.getString("username")));
            if (users.size() < 100) {
                return names;
            }
        }
    }

    private JsonObject adminAccount() {
        HttpResponse<String> r = api.get("api/v1/users/admin", ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return object(r);
    }

    @Test
    void theLastSystemAdministratorCannotDemoteOrDisableItself() {
        // Only meaningful (and only safe) while admin is the one enabled system administrator.
        assumeTrue(enabledSysadmins().equals(List.of("admin")), "another enabled system administrator exists");
        for (String change : new String[] {"{\"sysadmin\":false}", "{\"disabled\":true}", "{\"sysadmin\":false,\"disabled\":true}"}) {
            HttpResponse<String> r = api.send("PATCH", "api/v1/users/admin", change, ADMIN);
            assertEquals(409, r.statusCode(), change + ": " + r.body());
            assertEquals("CONFLICT", errorCode(r));
            assertTrue(errorMessage(r).contains("last system administrator"), errorMessage(r));
            JsonObject admin = adminAccount();
            assertTrue(admin.getBoolean("sysadmin"), "the refusal leaves admin a system administrator");
            assertFalse(admin.getBoolean("disabled"));
        }
        // a change that keeps the right is no refusal
        assertEquals(200, api.send("PATCH", "api/v1/users/admin", "{\"sysadmin\":true,\"disabled\":false}", ADMIN).statusCode());
    }

    @Test
    void aSystemAdministratorMayStepDownWhileAnotherRemains() {
        String name = unique("sa");
        api.user(name);
        assertEquals(200, api.send("PATCH", "api/v1/users/" + name, "{\"sysadmin\":true}", ADMIN).statusCode());
        String self = basic(name, password(name));
        HttpResponse<String> r = api.send("PATCH", "api/v1/users/" + name, "{\"sysadmin\":false}", self);
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(object(r).getBoolean("sysadmin"));
    }

    @Test
    void theLastProjectAdminCannotLeaveOrDemoteItself() {
        String aliceName = unique("u");
        String alice = api.user(aliceName);
        String p = unique("p");
        api.project(p, false, alice);
        String members = "api/v1/projects/" + p + "/members/";

        HttpResponse<String> demote = api.send("PUT", members + aliceName, "{\"role\":\"developer\"}", alice);
        assertEquals(409, demote.statusCode(), demote.body());
        assertEquals("CONFLICT", errorCode(demote));
        assertTrue(errorMessage(demote).contains("last project admin"), errorMessage(demote));
        HttpResponse<String> leave = api.send("DELETE", members + aliceName, null, alice);
        assertEquals(409, leave.statusCode(), leave.body());
        // a system administrator cannot take the last project admin away either
        assertEquals(409, api.send("DELETE", members + aliceName, null, ADMIN).statusCode());
        assertEquals(409, api.send("PUT", members + aliceName, "{\"role\":\"guest\"}", ADMIN).statusCode());
        HttpResponse<String> list = api.get("api/v1/projects/" + p + "/members", alice);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals("project_admin", array(list).getJsonObject(0).getString("role"), list.body());

        // with a second project admin, alice may step down and leave
        String bobName = unique("u");
        api.user(bobName);
        assertEquals(201, api.send("POST", "api/v1/projects/" + p + "/members",
                "{\"username\":\"" + bobName + "\",\"role\":\"project_admin\"}", alice).statusCode());
        assertEquals(200, api.send("PUT", members + aliceName, "{\"role\":\"developer\"}", alice).statusCode());
        assertEquals(204, api.send("DELETE", members + aliceName, null, ADMIN).statusCode());
        assertEquals(409, api.send("DELETE", members + bobName, null, ADMIN).statusCode());
    }

    /**
     * Two project admins removing each other at the same moment: each request alone is allowed
     * (another admin remains), but both together would leave none. The project row lock makes them
     * take turns, so one of them is refused.
     */
    @Test
    void twoProjectAdminsRemovingEachOtherAtOnceLeaveOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String aName = unique("u");
                String a = api.user(aName);
                String bName = unique("u");
                String b = api.user(bName);
                String p = unique("p");
                api.project(p, false, a);
                assertEquals(201, api.send("POST", "api/v1/projects/" + p + "/members",
                        "{\"username\":\"" + bName + "\",\"role\":\"project_admin\"}", a).statusCode());
                String members = "api/v1/projects/" + p + "/members/";
                // both logins remembered, so that no bcrypt check staggers the two requests
                assertEquals(200, api.get("api/v1/projects/" + p + "/members", a).statusCode());
                assertEquals(200, api.get("api/v1/projects/" + p + "/members", b).statusCode());
                CountDownLatch start = new CountDownLatch(1);
                Future<Integer> aRemovesB = pool.submit(() -> {
                    start.await();
                    return api.send("DELETE", members + bName, null, a).statusCode();
                });
                Future<Integer> bRemovesA = pool.submit(() -> {
                    start.await();
                    return api.send("DELETE", members + aName, null, b).statusCode();
                });
                start.countDown();
                int first = aRemovesB.get(60, TimeUnit.SECONDS);
                int second = bRemovesA.get(60, TimeUnit.SECONDS);
                assertFalse(first == 204 && second == 204, "both removals went through in round " + round);
                HttpResponse<String> list = api.get("api/v1/projects/" + p + "/members", ADMIN);
                assertEquals(200, list.statusCode(), list.body());
                assertTrue(array(list).getValuesAs(JsonObject.class).stream()
                        .anyMatch(m -> "project_admin".equals(m.getString("role"))), "no project admin left: " + list.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void libraryCannotBeDeleted() {
        HttpResponse<String> r = api.send("DELETE", "api/v1/projects/library", null, ADMIN);
        if (r.statusCode() == 204) {
            // never leave the shared server without library
            api.send("POST", "api/v1/projects", "{\"name\":\"library\",\"public\":true}", ADMIN);
            fail("library was deleted");
        }
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("CONFLICT", errorCode(r));
        assertTrue(errorMessage(r).contains("single-component"), errorMessage(r));
        assertEquals(200, api.get("api/v1/projects/library", ADMIN).statusCode());
    }

    @Test
    void userNamesThatDifferOnlyInCaseAreRefused() {
        String name = unique("case");
        api.user(name);
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        HttpResponse<String> r = api.send("POST", "api/v1/users",
                "{\"username\":\"" + upper + "\",\"password\":\"" + password(upper) + "\"}", ADMIN);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("CONFLICT", errorCode(r));
        assertEquals(404, api.get("api/v1/users/" + upper, ADMIN).statusCode());
        // logins take the exact name
        assertEquals(200, api.get("api/v1/users/current", basic(name, password(name))).statusCode());
        assertEquals(401, api.get("api/v1/users/current", basic(upper, password(name))).statusCode());
    }

    @Test
    void aRevokedPersonalTokensNameCanBeReused() {
        String name = unique("u");
        String user = api.user(name);
        String tokens = "api/v1/users/current/tokens";
        HttpResponse<String> first = api.send("POST", tokens, "{\"name\":\"ci\",\"actions\":[\"pull\"]}", user);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(409, api.send("POST", tokens, "{\"name\":\"ci\",\"actions\":[\"pull\"]}", user).statusCode(),
                "names stay unique among live tokens");
        assertEquals(204, api.send("DELETE", tokens + "/ci", null, user).statusCode());

        HttpResponse<String> second = api.send("POST", tokens, "{\"name\":\"ci\",\"actions\":[\"pull\"]}", user);
        assertEquals(201, second.statusCode(), second.body());
        String oldToken = basic(name, object(first).getString("token"));
        String newToken = basic(name, object(second).getString("token"));
        assertEquals(401, api.get("service/token?service=berth", oldToken).statusCode(), "the revoked token stays revoked");
        assertEquals(200, api.get("service/token?service=berth", newToken).statusCode());

        HttpResponse<String> list = api.get(tokens, user);
        assertEquals(200, list.statusCode(), list.body());
        List<JsonObject> rows = array(list).getValuesAs(JsonObject.class);
        assertEquals(2, rows.size(), list.body());
        assertEquals(1, rows.stream().filter(t -> t.getBoolean("revoked")).count(), list.body());
        // revoking again takes the new one
        assertEquals(204, api.send("DELETE", tokens + "/ci", null, user).statusCode());
        assertEquals(401, api.get("service/token?service=berth", newToken).statusCode());
    }
}
