package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.errorMessage;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tag retention against the deployed WAR (issue 17): the preview is exactly what a run then
 * deletes, decided per artifact and per repository; enabling needs the preview's fingerprint;
 * one run per project at a time; history and the audit entry; who may read, change and run.
 */
class RetentionIT extends ITBase {

    private static final String KEEP_3_BUILDS_AND_V = "[{\"repository\":{\"pattern\":\"**\",\"mode\":\"matching\"},"
            + "\"tag\":{\"pattern\":\"build-*\",\"mode\":\"matching\"},\"keep\":\"latest_pushed\",\"amount\":3},"
            + "{\"repository\":{\"pattern\":\"**\",\"mode\":\"matching\"},\"tag\":{\"pattern\":\"v*\",\"mode\":\"matching\"},"
            + "\"keep\":\"always\"}]";

    private ContentFixture fx;
    private AdminClient api;
    private RegistryClient registry;
    private byte[] sharedLayer;

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
        registry = fx.registry();
        sharedLayer = fx.randomBytes(200);
    }

    /** Pushes a distinct image (its own config and layer, plus a layer every image shares); answers digest and its own bytes. */
    private Map.Entry<String, Long> push(String repository, String tag) {
        byte[] config = ContentFixture.config("linux", "amd64", repository + ":" + tag + ":" + System.nanoTime());
        byte[] layer = fx.randomBytes(300);
        byte[] manifest = fx.push(registry, repository, tag, config, List.of(layer, sharedLayer));
        return Map.entry(RegistryClient.sha256(manifest), (long) (manifest.length + config.length + layer.length));
    }

    private HttpResponse<String> preview(String project, String rules, String auth) {
        return api.send("POST", "api/v1/projects/" + project + "/retention/preview", rules == null ? null : "{\"rules\":" + rules + "}", auth);
    }

    private HttpResponse<String> put(String project, String rules, boolean enabled, String fingerprint, String auth) {
        return api.send("PUT", "api/v1/projects/" + project + "/retention", "{\"rules\":" + rules + ",\"enabled\":" + enabled
                + (fingerprint == null ? "" : ",\"preview_fingerprint\":\"" + fingerprint + "\"") + "}", auth);
    }

    private static Set<String> digests(JsonObject preview, String list) {
        return preview.getJsonArray(list).getValuesAs(JsonObject.class).stream()
                .map(o -> o.getString("repository") + "@" + o.getString("digest")).collect(Collectors.toSet());
    }

    private JsonObject awaitEnd(String project, long id) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            HttpResponse<String> r = api.get("api/v1/projects/" + project + "/retention/runs/" + id, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            JsonObject run = object(r);
            if (!"running".equals(run.getString("state"))) {
                return run;
            }
            if (System.currentTimeMillis() > deadline) {
                fail("retention run " + id + " did not end within a minute: " + run);
            }
            GcFixture.pause(100);
        }
    }

    /** Previews, enables with the fingerprint and answers the preview the enabling PUT returned. */
    private JsonObject enable(String project, String rules) {
        HttpResponse<String> p = preview(project, rules, ADMIN);
        assertEquals(200, p.statusCode(), p.body());
        HttpResponse<String> r = put(project, rules, true, object(p).getString("rules_fingerprint"), ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return object(r).getJsonObject("preview");
    }

    @Test
    void thePreviewIsExactlyWhatARunDeletesPerArtifactAndPerRepository() {
        String project = fx.project(false);
        String app = project + "/app";
        String lib = project + "/lib";
        // oldest: an artifact tagged build-s and v1 (kept through v1: build-s stays with it)
        Map.Entry<String, Long> shared = push(app, "build-s");
        RegistryClient.Response retag = registry.putManifest(app, "v1",
                RegistryClient.OCI_MANIFEST, registry.getManifest(app, "build-s", RegistryClient.OCI_MANIFEST).body());
        assertEquals(201, retag.status(), retag.toString());
        Map<String, Map.Entry<String, Long>> builds = new HashMap<>();
        for (int i = 1; i <= 7; i++) {
            builds.put("app:build-" + i, push(app, "build-" + i));
        }
        for (int i = 1; i <= 4; i++) {
            builds.put("lib:build-" + i, push(lib, "build-" + i));
        }
        // build-2 is immutable: kept whatever the rules
        HttpResponse<String> rule = api.send("POST", "api/v1/projects/" + project + "/immutable-tags", "{\"name\":\"pinned\","
                + "\"repository\":{\"pattern\":\"app\",\"mode\":\"matching\"},\"tag\":{\"pattern\":\"build-2\",\"mode\":\"matching\"}}", ADMIN);
        assertEquals(201, rule.statusCode(), rule.body());

        HttpResponse<String> p = preview(project, KEEP_3_BUILDS_AND_V, ADMIN);
        assertEquals(200, p.statusCode(), p.body());
        JsonObject preview = object(p);
        List<String> doomed = List.of("app:build-1", "app:build-3", "app:build-4", "lib:build-1");
        Set<String> expected = doomed.stream().map(k -> project + "/" + k.substring(0, k.indexOf(':')) + "@" + builds.get(k).getKey())
                .collect(Collectors.toSet());
        assertEquals(expected, digests(preview, "deletions"), p.body());
        JsonObject totals = preview.getJsonObject("totals");
        assertEquals(4, totals.getInt("artifacts_deleted"));
        assertEquals(4, totals.getInt("tags_deleted"));
        assertEquals(doomed.stream().mapToLong(k -> builds.get(k).getValue()).sum(), totals.getJsonNumber("freed_bytes").longValue(),
                "manifest, config and own layer of each; the shared layer stays referenced");
        Map<String, JsonObject> kept = preview.getJsonArray("kept").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(o -> o.getString("digest"), o -> o, (a, b) -> a));
        assertEquals("rule", kept.get(shared.getKey()).getString("reason"));
        assertEquals(1, kept.get(shared.getKey()).getInt("rule"), "kept by the v* rule");
        assertEquals(Set.of("build-s", "v1"), kept.get(shared.getKey()).getJsonArray("tags").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).collect(Collectors.toSet()));
        assertEquals("immutable", kept.get(builds.get("app:build-2").getKey()).getString("reason"));

        // enabling needs the preview of exactly these rules
        HttpResponse<String> blind = put(project, KEEP_3_BUILDS_AND_V, true, null, ADMIN);
        assertEquals(409, blind.statusCode(), blind.body());
        assertTrue(errorMessage(blind).contains("not previewed"), blind.body());
        HttpResponse<String> other = preview(project, KEEP_3_BUILDS_AND_V.replace("\"amount\":3", "\"amount\":2"), ADMIN);
        assertEquals(409, put(project, KEEP_3_BUILDS_AND_V, true, object(other).getString("rules_fingerprint"), ADMIN).statusCode());
        JsonObject enabledPreview = enable(project, KEEP_3_BUILDS_AND_V);
        assertEquals(expected, digests(enabledPreview, "deletions"), "the enabling PUT answers the preview");

        HttpResponse<String> started = api.send("POST", "api/v1/projects/" + project + "/retention/runs", null, ADMIN);
        assertEquals(202, started.statusCode(), started.body());
        long id = object(started).getJsonNumber("id").longValue();
        assertTrue(started.headers().firstValue("Location").orElse("").endsWith("/api/v1/projects/" + project + "/retention/runs/" + id));
        JsonObject run = awaitEnd(project, id);
        assertEquals("succeeded", run.getString("state"), run.toString());
        assertEquals("manual", run.getString("trigger"));
        assertEquals(expected, digests(run, "deleted"), "the run deleted exactly the preview's set");
        assertEquals(4, run.getInt("artifacts_deleted"));
        assertEquals(0, run.getInt("skipped"));
        assertEquals(totals.getJsonNumber("freed_bytes").longValue(), run.getJsonNumber("freed_bytes").longValue());

        for (String k : builds.keySet()) {
            String repository = project + "/" + k.substring(0, k.indexOf(':'));
            int status = registry.getManifest(repository, k.substring(k.indexOf(':') + 1), RegistryClient.OCI_MANIFEST).status();
            assertEquals(doomed.contains(k) ? 404 : 200, status, k);
        }
        assertEquals(200, registry.getManifest(app, "build-s", RegistryClient.OCI_MANIFEST).status(), "a tag of a kept artifact stays");
        assertEquals(0, object(preview(project, null, ADMIN)).getJsonObject("totals").getInt("artifacts_deleted"),
                "after the run, the saved rules delete nothing more");

        HttpResponse<String> history = api.get("api/v1/projects/" + project + "/retention/runs?page=1&page_size=10", ADMIN);
        assertEquals(200, history.statusCode(), history.body());
        assertEquals("1", history.headers().firstValue("X-Total-Count").orElse(""));
        assertEquals(id, AdminClient.array(history).getJsonObject(0).getJsonNumber("id").longValue());
        JsonObject entry = auditEntry(project, "retention_run", project + " run " + id);
        assertEquals("admin", entry.getString("username"));
        assertEquals("success", entry.getString("result"));
        assertTrue(entry.getString("detail").contains("deleted 4 artifacts"), entry.toString());
        List<String> updates = auditEntries(project, "retention_update", project, 3).stream().map(e -> e.getString("result")).toList();
        assertEquals(List.of("success", "failure", "failure"), updates, "the enabling PUT, and the two refused ones before it");
    }

    private JsonObject auditEntry(String project, String operation, String resource) {
        List<JsonObject> entries = auditEntries(project, operation, resource, 1);
        assertEquals(1, entries.size(), entries.toString());
        return entries.get(0);
    }

    /** The entries, newest first, once there are at least {@code least}. */
    private List<JsonObject> auditEntries(String project, String operation, String resource, int least) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            HttpResponse<String> r = api.get("api/v1/audit-logs?project=" + project + "&operation=" + operation, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            List<JsonObject> entries = AdminClient.array(r).getValuesAs(JsonObject.class).stream()
                    .filter(e -> resource.equals(e.getString("resource"))).toList();
            if (entries.size() >= least) {
                return entries;
            }
            if (System.currentTimeMillis() > deadline) {
                fail("no audit entry " + operation + " " + resource);
            }
            GcFixture.pause(200);
        }
    }

    @Test
    void aProjectRunsOneRunAtATime() {
        String project = fx.project(true);
        for (int i = 1; i <= 60; i++) {
            push(project + "/busy", "build-" + i);
        }
        enable(project, "[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"**\"},\"keep\":\"latest_pushed\",\"amount\":1}]");
        HttpResponse<String> first = api.send("POST", "api/v1/projects/" + project + "/retention/runs", null, ADMIN);
        assertEquals(202, first.statusCode(), first.body());
        HttpResponse<String> second = api.send("POST", "api/v1/projects/" + project + "/retention/runs", null, ADMIN);
        assertEquals(409, second.statusCode(), second.body());
        assertEquals("CONFLICT", errorCode(second));
        long id = object(first).getJsonNumber("id").longValue();
        assertTrue(errorMessage(second).contains("retention run " + id), second.body());
        assertEquals(59, awaitEnd(project, id).getInt("artifacts_deleted"));
    }

    @Test
    void aRunNeedsAnEnabledPolicyAndBadRulesAreRefusedWithAReason() {
        String project = fx.project(false);
        HttpResponse<String> none = api.send("POST", "api/v1/projects/" + project + "/retention/runs", null, ADMIN);
        assertEquals(409, none.statusCode(), none.body());
        JsonObject policy = object(api.get("api/v1/projects/" + project + "/retention", ADMIN));
        assertEquals(false, policy.getBoolean("enabled"));
        assertEquals(0, policy.getJsonArray("rules").size());

        Map<String, String> bad = Map.of(
                "{\"rules\":[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"{a\"},\"keep\":\"always\"}]}", "rules[0].tag",
                "{\"rules\":[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"newest\"}]}", "rules[0].keep",
                "{\"rules\":[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"latest_pushed\",\"amount\":0}]}", "from 1",
                "{\"rules\":[{\"repository\":{\"pattern\":\"**\",\"mode\":\"including\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\"}]}", "mode",
                "{\"rules\":[],\"schedule\":\"61 * * * *\"}", "61",
                "{\"rules\":[],\"enabled\":\"yes\"}", "enabled",
                "{\"rules\":[],\"cron\":\"@daily\"}", "'cron' is not a field");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            HttpResponse<String> r = api.send("PUT", "api/v1/projects/" + project + "/retention", b.getKey(), ADMIN);
            assertEquals(400, r.statusCode(), b.getKey() + " -> " + r.body());
            assertEquals("INVALID_REQUEST", errorCode(r), r.body());
            assertTrue(errorMessage(r).contains(b.getValue()), b.getKey() + " -> " + r.body());
            assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), r.body());
        }
        String sixteen = "[" + String.join(",", java.util.Collections.nCopies(16,
                "{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\"}")) + "]";
        assertEquals(400, put(project, sixteen, false, null, ADMIN).statusCode());

        HttpResponse<String> saved = api.send("PUT", "api/v1/projects/" + project + "/retention", "{\"rules\":" + KEEP_3_BUILDS_AND_V
                + ",\"schedule\":\"0 3 * * *\",\"run_gc\":true}", ADMIN);
        assertEquals(200, saved.statusCode(), saved.body());
        JsonObject back = object(api.get("api/v1/projects/" + project + "/retention", ADMIN));
        assertEquals("0 3 * * *", back.getString("schedule"));
        assertEquals(true, back.getBoolean("run_gc"));
        assertEquals(false, back.getBoolean("enabled"));
        assertEquals(2, back.getJsonArray("rules").size());
        assertEquals("latest_pushed", back.getJsonArray("rules").getJsonObject(0).getString("keep"));
    }

    @Test
    void maintainersReadProjectAdminsChangeAndOthersAreRefused() {
        String project = fx.project(false);
        String maintainer = fx.member(project, "maintainer");
        String developer = fx.member(project, "developer");
        String projectAdmin = fx.member(project, "project_admin");
        String outsider = fx.user(ContentFixture.unique("out"));
        String base = "api/v1/projects/" + project + "/retention";

        HttpResponse<String> anonymous = api.get(base, null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent(), "401 with a challenge");
        assertEquals(404, api.get(base, outsider).statusCode(), "a private project is hidden from non-members");
        assertEquals(404, preview(project, null, outsider).statusCode());
        HttpResponse<String> dev = api.get(base, developer);
        assertEquals(403, dev.statusCode(), dev.body());
        assertEquals("DENIED", errorCode(dev));
        assertEquals(403, preview(project, null, developer).statusCode());

        assertEquals(200, api.get(base, maintainer).statusCode());
        assertEquals(200, preview(project, KEEP_3_BUILDS_AND_V, maintainer).statusCode());
        assertEquals(200, api.get(base + "/runs", maintainer).statusCode());
        assertEquals(403, put(project, "[]", false, null, maintainer).statusCode());
        assertEquals(403, api.send("POST", base + "/runs", null, maintainer).statusCode());

        HttpResponse<String> p = preview(project, KEEP_3_BUILDS_AND_V, projectAdmin);
        HttpResponse<String> enabled = put(project, KEEP_3_BUILDS_AND_V, true, object(p).getString("rules_fingerprint"), projectAdmin);
        assertEquals(200, enabled.statusCode(), enabled.body());
        assertNotEquals(null, object(enabled).getJsonObject("preview"));
        assertEquals(404, api.get(base + "/runs/999999999", maintainer).statusCode());
        assertEquals(404, api.get(base + "/runs/x", maintainer).statusCode());
    }
}
