package org.berth.security;

import static org.berth.security.HttpApi.ADMIN;
import static org.berth.security.HttpApi.array;
import static org.berth.security.HttpApi.basic;
import static org.berth.security.HttpApi.object;
import static org.berth.security.HttpApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 14: a failed login for a robot that does not exist belongs to no project, so an
 * anonymous client cannot write into a project's audit log; a real robot's failed login still
 * shows in its project's log. Likewise a failed request names only a project that exists.
 */
class FailedLoginAuditIT extends ITBase {

    private HttpApi api;

    @BeforeEach
    void client() {
        api = new HttpApi(base());
    }

    private List<JsonObject> log(String query) {
        HttpResponse<String> r = api.get("api/v1/audit-logs?page_size=100&" + query, ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return array(r).getValuesAs(JsonObject.class);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aFailedLoginForARobotThatDoesNotExistBelongsToNoProject() throws InterruptedException {
        String ownerName = unique("u");
        String owner = api.user(ownerName);
        String p = unique("p");
        api.project(p, false, owner);
        HttpResponse<String> robot = api.send("POST", "api/v1/projects/" + p + "/robots", "{\"name\":\"ci\",\"actions\":[\"pull\"]}", owner);
        assertEquals(201, robot.statusCode(), robot.body());
        String real = object(robot).getString("name");
        String forged = "robot$" + p + "+" + unique("x");

        assertEquals(401, api.get("service/token?service=berth", basic(forged, "wrong-secret")).statusCode());
        assertEquals(401, api.get("service/token?service=berth", basic(real, "wrong-secret")).statusCode());

        // the writer flushes about every second: wait for both entries in the whole log
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (log("operation=login_failed&username=" + q(forged)).isEmpty() || log("operation=login_failed&username=" + q(real)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the failed logins were not logged");
            }
            Thread.sleep(250);
        }
        List<JsonObject> forgedEntries = log("operation=login_failed&username=" + q(forged));
        assertTrue(forgedEntries.stream().allMatch(e -> e.isNull("project") || !e.containsKey("project")), forgedEntries.toString());
        List<JsonObject> inProject = log("project=" + p + "&operation=login_failed");
        assertTrue(inProject.stream().anyMatch(e -> real.equals(e.getString("username"))), inProject.toString());
        assertTrue(inProject.stream().noneMatch(e -> forged.equals(e.getString("username"))), inProject.toString());
    }

    @Test
    void aFailedRequestToAProjectThatDoesNotExistLandsInNoProjectsLog() throws InterruptedException {
        String p = unique("p");
        String resource = p + "/app:latest";
        assertTrue(api.get("v2/" + p + "/app/manifests/latest", null).statusCode() >= 400);

        long deadline = System.nanoTime() + 15_000_000_000L;
        List<JsonObject> entries;
        while ((entries = log("operation=pull&resource=" + q(resource))).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the failed pull was not logged");
            }
            Thread.sleep(250);
        }
        assertTrue(entries.stream().allMatch(e -> e.isNull("project")), entries.toString());
        // the project created later does not inherit it
        api.project(p, false, ADMIN);
        assertTrue(log("project=" + p + "&operation=pull").isEmpty());
    }
}
