package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.errorMessage;
import static org.berth.support.AdminClient.object;
import static org.berth.api.admin.ContentFixture.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Immutable-tag rules against the deployed WAR (issue 17): who reads, adds, lifts and deletes
 * rules; a protected tag refuses a move and every kind of delete (also from a system
 * administrator) with 403 DENIED and the exact message docker prints, takes the same digest again,
 * and gives way once a system administrator lifts the rule; each change is audited.
 */
class ImmutableTagsIT extends ITBase {

    private ContentFixture fx;
    private AdminClient api;
    private RegistryClient registry;

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
        registry = fx.registry();
    }

    private static String rules(String project) {
        return "api/v1/projects/" + project + "/immutable-tags";
    }

    private static String rule(String name, String tagPattern) {
        return "{\"name\":\"" + name + "\",\"tag\":{\"pattern\":\"" + tagPattern + "\",\"mode\":\"matching\"}}";
    }

    private JsonObject create(String project, String body, String authorization) {
        HttpResponse<String> r = api.send("POST", rules(project), body, authorization);
        assertEquals(201, r.statusCode(), r.body());
        return object(r);
    }

    private void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, errorCode(r), r.body());
    }

    private static void assertRefused(HttpResponse<String> r, String tag, String project, String rule) {
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("DENIED", errorCode(r));
        assertEquals("tag " + tag + " is immutable in project " + project + " (rule '" + rule + "')", errorMessage(r));
    }

    private static void assertRefused(RegistryClient.Response r, String tag, String project, String rule) {
        assertEquals(403, r.status(), r.toString());
        assertEquals(List.of("DENIED"), r.errorCodes());
        JsonObject error = Json.createReader(new StringReader(r.bodyText())).readObject()
                .getJsonArray("errors").getJsonObject(0);
        assertEquals("tag " + tag + " is immutable in project " + project + " (rule '" + rule + "')", error.getString("message"));
    }

    /** Pushes a small image with its own bytes under the tag; returns its manifest bytes. */
    private byte[] push(String repository, String tag) {
        return fx.push(registry, repository, tag, config("linux", "amd64", tag), List.of(fx.randomBytes(200)));
    }

    private String digestOf(String repository, String tag) {
        RegistryClient.Response r = registry.headManifest(repository, tag, RegistryClient.OCI_MANIFEST);
        assertEquals(200, r.status(), r.toString());
        return r.header("Docker-Content-Digest");
    }

    private HttpResponse<String> setDisabled(String project, long id, boolean disabled, String authorization) {
        return api.send("PATCH", rules(project) + "/" + id, "{\"disabled\":" + disabled + "}", authorization);
    }

    // --- the rules and who may manage them ---

    @Test
    void maintainersReadProjectAdminsAddOnlySystemAdministratorsLiftOrDelete() {
        String p = fx.project(false);
        String adminName = ContentFixture.unique("u");
        String projectAdmin = fx.user(adminName);
        assertEquals(201, api.send("POST", "api/v1/projects/" + p + "/members",
                "{\"username\":\"" + adminName + "\",\"role\":\"project_admin\"}", ADMIN).statusCode());
        String maintainer = fx.member(p, "maintainer");
        String developer = fx.member(p, "developer");
        String guest = fx.member(p, "guest");
        String outsider = fx.user(ContentFixture.unique("o"));

        HttpResponse<String> anonymous = api.get(rules(p), null);
        assertError(anonymous, 401, "UNAUTHORIZED");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        // hidden from an outsider exactly as a project that does not exist
        HttpResponse<String> hidden = api.get(rules(p), outsider);
        HttpResponse<String> missing = api.get(rules(ContentFixture.unique("n")), outsider);
        assertEquals(404, hidden.statusCode(), hidden.body());
        assertEquals(missing.statusCode() + " " + errorCode(missing) + " " + errorMessage(missing),
                hidden.statusCode() + " " + errorCode(hidden) + " " + errorMessage(hidden));
        assertError(api.get(rules(p), guest), 403, "DENIED");
        assertError(api.get(rules(p), developer), 403, "DENIED");
        assertEquals(0, array(api.get(rules(p), maintainer)).size());
        assertError(api.send("POST", rules(p), rule("releases", "v*"), maintainer), 403, "DENIED");
        assertError(api.send("POST", rules(p), rule("releases", "v*"), developer), 403, "DENIED");

        Instant before = Instant.now().minusSeconds(2);
        HttpResponse<String> created = api.send("POST", rules(p), rule("releases", "v*"), projectAdmin);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject r = object(created);
        long id = r.getJsonNumber("id").longValue();
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/" + rules(p) + "/" + id));
        assertEquals("releases", r.getString("name"));
        assertEquals("{\"pattern\":\"**\",\"mode\":\"matching\"}", r.getJsonObject("repository").toString());
        assertEquals("{\"pattern\":\"v*\",\"mode\":\"matching\"}", r.getJsonObject("tag").toString());
        assertFalse(r.getBoolean("disabled"));
        assertEquals(adminName, r.getString("created_by"));
        assertFalse(Instant.parse(r.getString("created_at")).isBefore(before));
        assertEquals(List.of(r), array(api.get(rules(p), maintainer)).getValuesAs(JsonObject.class));

        assertError(api.send("POST", rules(p), rule("releases", "x*"), projectAdmin), 409, "CONFLICT");
        assertError(setDisabled(p, id, true, projectAdmin), 403, "DENIED");
        assertError(api.send("DELETE", rules(p) + "/" + id, null, projectAdmin), 403, "DENIED");
        assertError(setDisabled(p, id, true, maintainer), 403, "DENIED");

        HttpResponse<String> lifted = setDisabled(p, id, true, ADMIN);
        assertEquals(200, lifted.statusCode(), lifted.body());
        assertTrue(object(lifted).getBoolean("disabled"));
        assertTrue(array(api.get(rules(p), maintainer)).getJsonObject(0).getBoolean("disabled"));
        assertEquals(204, api.send("DELETE", rules(p) + "/" + id, null, ADMIN).statusCode());
        assertError(api.send("DELETE", rules(p) + "/" + id, null, ADMIN), 404, "NOT_FOUND");
        assertError(setDisabled(p, id, false, ADMIN), 404, "NOT_FOUND");
        assertError(setDisabled(p, 0, false, ADMIN), 404, "NOT_FOUND");
        assertError(api.send("PATCH", rules(p) + "/abc", "{\"disabled\":true}", ADMIN), 404, "NOT_FOUND");
        assertEquals(404, api.get(rules(ContentFixture.unique("n")), ADMIN).statusCode());
        assertEquals(0, array(api.get(rules(p), maintainer)).size());

        String log = "api/v1/audit-logs?project=" + URLEncoder.encode(p, StandardCharsets.UTF_8);
        await(log, entry("immutable_rule_create", adminName, "releases", "success"), "create");
        await(log, entry("immutable_rule_update", "admin", String.valueOf(id), "success"), "lift");
        await(log, entry("immutable_rule_delete", "admin", String.valueOf(id), "success"), "delete");
        await(log, entry("immutable_rule_update", adminName, null, "failure"), "refused lift");
    }

    @Test
    void badRulesAreRefusedWithInvalidRequestAndAProjectHoldsFifteen() {
        String p = fx.project(true);
        for (String body : List.of(
                "{\"name\":\"r\",\"tag\":{\"pattern\":\"{a\"}}",
                "{\"name\":\"r\",\"tag\":{\"pattern\":\"\"}}",
                "{\"name\":\"r\",\"tag\":{\"pattern\":\"v*\",\"mode\":\"sometimes\"}}",
                "{\"name\":\"r\",\"tag\":{\"pattern\":\"v*\",\"colour\":\"red\"}}",
                "{\"name\":\"r\",\"tag\":\"v*\"}",
                "{\"name\":\"r\",\"tag\":{\"pattern\":7}}",
                "{\"name\":\"r\"}",
                "{\"tag\":{\"pattern\":\"v*\"}}",
                "{\"name\":\"\",\"tag\":{\"pattern\":\"v*\"}}",
                "{\"name\":\" r\",\"tag\":{\"pattern\":\"v*\"}}",
                "{\"name\":\"" + "n".repeat(65) + "\",\"tag\":{\"pattern\":\"v*\"}}",
                "{\"name\":\"r\",\"tag\":{\"pattern\":\"" + "a".repeat(257) + "\"}}",
                "{\"name\":\"r\",\"tag\":{\"pattern\":\"v*\"},\"disabled\":true}",
                "{\"name\":\"r\",\"repository\":[],\"tag\":{\"pattern\":\"v*\"}}",
                "{\"name\":\"r\",\"tag\":" + "[".repeat(100) + "]".repeat(100) + "}",
                "[1]",
                "{\"name\":")) {
            HttpResponse<String> r = api.send("POST", rules(p), body, ADMIN);
            assertError(r, 400, "INVALID_REQUEST");
        }
        assertEquals(0, array(api.get(rules(p), ADMIN)).size());

        JsonObject excluding = create(p, "{\"name\":\"not-dev\",\"repository\":{\"pattern\":\"dev/**\",\"mode\":\"excluding\"},"
                + "\"tag\":{\"pattern\":\"*\"}}", ADMIN);
        assertEquals("excluding", excluding.getJsonObject("repository").getString("mode"));
        assertEquals("matching", excluding.getJsonObject("tag").getString("mode"));
        for (int i = 2; i <= 15; i++) {
            create(p, rule("r" + i, "v" + i + "*"), ADMIN);
        }
        HttpResponse<String> sixteenth = api.send("POST", rules(p), rule("r16", "x*"), ADMIN);
        assertError(sixteenth, 400, "INVALID_REQUEST");
        assertTrue(errorMessage(sixteenth).contains("15"), sixteenth.body());
        JsonArray all = array(api.get(rules(p), ADMIN));
        assertEquals(15, all.size());
        assertEquals("not-dev", all.getJsonObject(0).getString("name"), "oldest first");
    }

    // --- enforcement ---

    @Test
    void aProtectedTagTakesItsDigestAgainButNeitherMovesNorIsDeletedUntilTheRuleIsLifted() {
        String p = fx.project(true);
        String repo = p + "/app";
        long id = create(p, rule("releases", "v*"), ADMIN).getJsonNumber("id").longValue();

        byte[] original = push(repo, "v1.2.3");
        String digest = RegistryClient.sha256(original);
        RegistryClient.Response again = registry.putManifest(repo, "v1.2.3", RegistryClient.OCI_MANIFEST, original);
        assertEquals(201, again.status(), "the same digest again: " + again);

        byte[] other = push(repo, "latest");
        String otherDigest = RegistryClient.sha256(other);
        assertRefused(registry.putManifest(repo, "v1.2.3", RegistryClient.OCI_MANIFEST, other), "v1.2.3", p, "releases");
        assertEquals(digest, digestOf(repo, "v1.2.3"));
        push(repo, "latest"); // an unprotected tag still moves

        // every kind of delete, by the system administrator
        assertRefused(registry.deleteManifest(repo, "v1.2.3"), "v1.2.3", p, "releases");
        assertRefused(registry.deleteManifest(repo, digest), "v1.2.3", p, "releases");
        String artifacts = "api/v1/repositories/" + repo + "/artifacts";
        assertRefused(api.send("DELETE", "api/v1/repositories/" + repo + "/tags/v1.2.3", null, ADMIN), "v1.2.3", p, "releases");
        assertRefused(api.send("DELETE", artifacts + "/" + digest, null, ADMIN), "v1.2.3", p, "releases");
        assertRefused(api.send("DELETE", "api/v1/repositories/" + repo, null, ADMIN), "v1.2.3", p, "releases");
        assertRefused(api.send("POST", artifacts + "/" + otherDigest + "/tags", "{\"name\":\"v1.2.3\"}", ADMIN),
                "v1.2.3", p, "releases");
        assertEquals(201, api.send("POST", artifacts + "/" + digest + "/tags", "{\"name\":\"v1.2.3\"}", ADMIN).statusCode());
        assertEquals(digest, digestOf(repo, "v1.2.3"));

        // the artifact listing tells which tags are immutable, and by which rule
        JsonObject protectedArtifact = object(api.get(artifacts + "/v1.2.3", ADMIN));
        JsonObject tag = protectedArtifact.getJsonArray("tags").getJsonObject(0);
        assertEquals("v1.2.3", tag.getString("name"));
        assertEquals("releases", tag.getString("immutable_rule"));
        for (JsonObject a : array(api.get(artifacts, ADMIN)).getValuesAs(JsonObject.class)) {
            for (JsonObject t : a.getJsonArray("tags").getValuesAs(JsonObject.class)) {
                assertEquals(t.getString("name").startsWith("v"), !t.isNull("immutable_rule"), a.toString());
            }
        }

        // a new tag may be created, and is protected from then on
        assertEquals(201, api.send("POST", artifacts + "/" + otherDigest + "/tags", "{\"name\":\"v2.0.0\"}", ADMIN).statusCode());
        assertRefused(registry.putManifest(repo, "v2.0.0", RegistryClient.OCI_MANIFEST, original), "v2.0.0", p, "releases");

        // lifted by a system administrator: the move and the deletes go through
        assertEquals(200, setDisabled(p, id, true, ADMIN).statusCode());
        assertEquals(201, registry.putManifest(repo, "v1.2.3", RegistryClient.OCI_MANIFEST, other).status());
        assertEquals(otherDigest, digestOf(repo, "v1.2.3"));
        assertEquals(200, setDisabled(p, id, false, ADMIN).statusCode());
        assertRefused(registry.putManifest(repo, "v1.2.3", RegistryClient.OCI_MANIFEST, original), "v1.2.3", p, "releases");
        assertEquals(200, setDisabled(p, id, true, ADMIN).statusCode());
        assertEquals(202, registry.deleteManifest(repo, "v1.2.3").status());
        assertEquals(202, registry.deleteManifest(repo, digest).status());
        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repo, null, ADMIN).statusCode());
    }

    @Test
    void onlyTheSelectedRepositoriesAndTagsAreProtected() {
        String p = fx.project(true);
        create(p, "{\"name\":\"prod\",\"repository\":{\"pattern\":\"prod/**\"},"
                + "\"tag\":{\"pattern\":\"{latest,dev-*}\",\"mode\":\"excluding\"}}", ADMIN);
        String prod = p + "/prod/api";
        String dev = p + "/dev/api";
        push(prod, "1.0");
        push(prod, "latest");
        push(dev, "1.0");
        byte[] other = push(prod, "dev-7");

        assertRefused(registry.putManifest(prod, "1.0", RegistryClient.OCI_MANIFEST, other), "1.0", p, "prod");
        assertEquals(201, registry.putManifest(prod, "latest", RegistryClient.OCI_MANIFEST, other).status());
        assertEquals(202, registry.deleteManifest(prod, "dev-7").status());
        assertEquals(202, registry.deleteManifest(dev, "1.0").status());
        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + dev, null, ADMIN).statusCode());
        assertRefused(api.send("DELETE", "api/v1/repositories/" + prod, null, ADMIN), "1.0", p, "prod");

        // an artifact whose other tag is protected cannot be deleted by digest
        String digest = digestOf(prod, "latest");
        assertEquals(201, api.send("POST", "api/v1/repositories/" + prod + "/artifacts/" + digest + "/tags",
                "{\"name\":\"2.0\"}", ADMIN).statusCode());
        assertRefused(registry.deleteManifest(prod, digest), "2.0", p, "prod");
        assertNotNull(digestOf(prod, "latest"));
    }

    @Test
    void thePlatformImagesOfAProtectedIndexAreNotDeletedEither() {
        String p = fx.project(true);
        String repo = p + "/multi";
        create(p, rule("releases", "v*"), ADMIN);
        byte[] amd = push(repo, "build-1");
        byte[] arm = push(repo, "build-2");
        byte[] index = ContentFixture.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(amd)
                + "\",\"size\":" + amd.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(arm)
                + "\",\"size\":" + arm.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}");
        assertEquals(201, registry.putManifest(repo, "v1", RegistryClient.OCI_INDEX, index).status());

        assertEquals(202, registry.deleteManifest(repo, "build-1").status(), "an unprotected tag of a child goes");
        assertRefused(registry.deleteManifest(repo, RegistryClient.sha256(amd)), "v1", p, "releases");
        assertRefused(api.send("DELETE", "api/v1/repositories/" + repo + "/artifacts/" + RegistryClient.sha256(arm), null, ADMIN),
                "v1", p, "releases");
        assertEquals(200, registry.getManifest(repo, RegistryClient.sha256(amd), RegistryClient.OCI_MANIFEST).status());
    }

    @Test
    void ofConcurrentPushesOfDifferentImagesUnderANewProtectedTagExactlyOneWins() throws Exception {
        String p = fx.project(true);
        String repo = p + "/race";
        create(p, rule("releases", "v*"), ADMIN);
        List<byte[]> manifests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] config = config("linux", "amd64", "race-" + i);
            byte[] layer = fx.randomBytes(100);
            fx.blob(registry, repo, config);
            fx.blob(registry, repo, layer);
            manifests.add(ContentFixture.manifest(config, List.of(layer), null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(manifests.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RegistryClient.Response>> pushes = new ArrayList<>();
            for (byte[] m : manifests) {
                pushes.add(pool.submit(() -> {
                    start.await();
                    return registry.putManifest(repo, "v1.0.0", RegistryClient.OCI_MANIFEST, m);
                }));
            }
            start.countDown();
            String winner = null;
            for (int i = 0; i < pushes.size(); i++) {
                RegistryClient.Response r = pushes.get(i).get();
                if (r.status() == 201) {
                    assertNull(winner, "a second push moved the tag: " + r);
                    winner = RegistryClient.sha256(manifests.get(i));
                } else {
                    assertRefused(r, "v1.0.0", p, "releases");
                }
            }
            assertNotNull(winner, "no push created the tag");
            assertEquals(winner, digestOf(repo, "v1.0.0"));
        } finally {
            pool.shutdownNow();
        }
    }

    // --- audit ---

    private void await(String path, Predicate<JsonObject> wanted, String what) {
        api.awaitEntry(path, ADMIN, wanted, what);
    }

    private static Predicate<JsonObject> entry(String operation, String username, String resource, String result) {
        return e -> operation.equals(e.getString("operation")) && username.equals(e.getString("username"))
                && (resource == null || resource.equals(e.getString("resource", null)))
                && result.equals(e.getString("result"))
                && "immutable_rule".equals(e.getString("resource_type", null));
    }
}
