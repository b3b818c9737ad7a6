package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.berth.api.admin.ContentFixture.config;
import static org.berth.api.admin.ContentFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The content administration API against the deployed WAR: repositories and artifacts as pushed
 * through /v2, tags, deletion, summaries, pull counts, and who may do what on a private project.
 */
class ContentApiIT extends ITBase {

    private ContentFixture fx;
    private AdminClient api;

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
    }

    private JsonArray names(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return array(r);
    }

    private static List<String> repositoryNames(JsonArray repositories) {
        return repositories.stream().map(v -> v.asJsonObject().getString("name")).toList();
    }

    // --- repositories ---

    @Test
    void repositoriesArePagedFilteredAndSorted() {
        String p = fx.project(false);
        fx.pushImage(p + "/beta", "1");
        fx.pushImage(p + "/alpha", "1");
        fx.pushImage(p + "/gamma/one", "1");
        String list = "api/v1/projects/" + p + "/repositories";

        HttpResponse<String> first = api.get(list + "?page_size=2", ADMIN);
        assertEquals(List.of(p + "/alpha", p + "/beta"), repositoryNames(names(first)));
        assertEquals("3", first.headers().firstValue("X-Total-Count").orElseThrow());
        assertTrue(first.headers().firstValue("Link").orElseThrow().contains("page=2"));
        assertEquals(List.of(p + "/gamma/one"), repositoryNames(names(api.get(list + "?page=2&page_size=2", ADMIN))));

        assertEquals(List.of(p + "/gamma/one", p + "/beta", p + "/alpha"), repositoryNames(names(api.get(list + "?sort=-name", ADMIN))));
        assertEquals(List.of(p + "/gamma/one", p + "/alpha", p + "/beta"),
                repositoryNames(names(api.get(list + "?sort=-last_push", ADMIN))));
        assertEquals(List.of(p + "/beta", p + "/alpha", p + "/gamma/one"),
                repositoryNames(names(api.get(list + "?sort=last_push", ADMIN))));

        HttpResponse<String> filtered = api.get(list + "?q=amm", ADMIN);
        assertEquals(List.of(p + "/gamma/one"), repositoryNames(names(filtered)));
        assertEquals("1", filtered.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(List.of(), repositoryNames(names(api.get(list + "?q=%25", ADMIN))), "% is a character, not a wildcard");

        HttpResponse<String> badSort = api.get(list + "?sort=size", ADMIN);
        assertEquals(400, badSort.statusCode());
        assertEquals("INVALID_REQUEST", errorCode(badSort));
    }

    @Test
    void repositoryShowsItsCountsAndPushTime() {
        String p = fx.project(true);
        String repo = p + "/app";
        fx.pushImage(repo, "1");
        fx.pushImage(repo, "2");
        JsonObject r = object(api.get("api/v1/repositories/" + repo, ADMIN));
        assertEquals(repo, r.getString("name"));
        assertEquals(p, r.getString("project"));
        assertEquals(2, r.getInt("artifact_count"));
        assertEquals(2, r.getInt("tag_count"));
        assertEquals(0, r.getInt("pull_count"));
        assertFalse(r.isNull("last_push_at"));
        assertTrue(r.isNull("last_pull_at"));
        assertFalse(r.isNull("created_at"));

        HttpResponse<String> missing = api.get("api/v1/repositories/" + p + "/nothing", ADMIN);
        assertEquals(404, missing.statusCode());
        assertEquals("NAME_UNKNOWN", errorCode(missing));
    }

    @Test
    void manifestGetsAreCountedAsPullsButHeadsAreNot() throws InterruptedException {
        String p = fx.project(true);
        String repo = p + "/pulled";
        String digest = fx.pushImage(repo, "1");
        RegistryClient registry = fx.registry();
        assertEquals(200, registry.getManifest(repo, "1", RegistryClient.OCI_MANIFEST).status());
        assertEquals(200, registry.getManifest(repo, digest, RegistryClient.OCI_MANIFEST).status());
        assertEquals(200, registry.getManifest(repo, "1", RegistryClient.OCI_MANIFEST).status());
        assertEquals(200, registry.headManifest(repo, "1", RegistryClient.OCI_MANIFEST).status());

        JsonObject repository = null;
        for (int i = 0; i < 40; i++) { // counts are written in batches, about every second
            repository = object(api.get("api/v1/repositories/" + repo, ADMIN));
            if (repository.getInt("pull_count") >= 3) {
                break;
            }
            Thread.sleep(250);
        }
        Thread.sleep(1500); // had a HEAD counted, it would show by now
        repository = object(api.get("api/v1/repositories/" + repo, ADMIN));
        assertEquals(3, repository.getInt("pull_count"));
        assertFalse(repository.isNull("last_pull_at"));
        JsonObject artifact = object(api.get("api/v1/repositories/" + repo + "/artifacts/" + digest, ADMIN));
        assertEquals(3, artifact.getInt("pull_count"));
        assertFalse(artifact.isNull("pulled_at"));
    }

    // --- artifacts ---

    @Test
    void anImageShowsItsSizesTagsConfigAndLayers() {
        String p = fx.project(true);
        String repo = p + "/img";
        byte[] config = config("linux", "arm64", "hello");
        byte[] layer1 = fx.randomBytes(1000);
        byte[] layer2 = fx.randomBytes(2000);
        byte[] manifest = fx.push(fx.registry(), repo, "v1", config, List.of(layer1, layer2));
        String digest = RegistryClient.sha256(manifest);

        JsonObject a = object(api.get("api/v1/repositories/" + repo + "/artifacts/" + digest, ADMIN));
        assertEquals(digest, a.getString("digest"));
        assertEquals(RegistryClient.OCI_MANIFEST, a.getString("media_type"));
        assertEquals(ContentFixture.CONFIG_TYPE, a.getString("artifact_type"));
        assertEquals(manifest.length, a.getInt("size"));
        assertEquals(manifest.length + config.length + 3000, a.getInt("total_size"));
        assertFalse(a.isNull("pushed_at"));
        assertTrue(a.isNull("pulled_at"));
        assertEquals("v1", a.getJsonArray("tags").getJsonObject(0).getString("name"));
        assertEquals(List.of(), a.getJsonArray("platforms"));
        JsonObject c = a.getJsonObject("config");
        assertEquals(RegistryClient.sha256(config), c.getString("digest"));
        assertEquals(config.length, c.getInt("size"));
        assertEquals("linux", c.getString("os"));
        assertEquals("arm64", c.getString("architecture"));
        assertEquals("2026-01-02T03:04:05Z", c.getString("created"));
        assertEquals("hello", c.getJsonObject("labels").getString("org.example.label"));
        JsonArray layers = a.getJsonArray("layers");
        assertEquals(2, layers.size());
        assertEquals(RegistryClient.sha256(layer1), layers.getJsonObject(0).getString("digest"));
        assertEquals(2000, layers.getJsonObject(1).getInt("size"));
        assertEquals(ContentFixture.LAYER_TYPE, layers.getJsonObject(1).getString("media_type"));

        assertEquals(a, object(api.get("api/v1/repositories/" + repo + "/artifacts/v1", ADMIN)), "by tag as by digest");
        HttpResponse<String> unknown = api.get("api/v1/repositories/" + repo + "/artifacts/nope", ADMIN);
        assertEquals(404, unknown.statusCode());
        assertEquals("MANIFEST_UNKNOWN", errorCode(unknown));
    }

    @Test
    void artifactsAreListedNewestFirstWithPaging() {
        String p = fx.project(true);
        String repo = p + "/many";
        String d1 = fx.pushImage(repo, "1");
        String d2 = fx.pushImage(repo, "2");
        String d3 = fx.pushImage(repo, "3");
        HttpResponse<String> r = api.get("api/v1/repositories/" + repo + "/artifacts?page_size=2", ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("3", r.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(List.of(d3, d2), array(r).stream().map(v -> v.asJsonObject().getString("digest")).toList());
        JsonArray second = array(api.get("api/v1/repositories/" + repo + "/artifacts?page=2&page_size=2", ADMIN));
        assertEquals(List.of(d1), second.stream().map(v -> v.asJsonObject().getString("digest")).toList());
    }

    @Test
    void anIndexShowsItsPlatformsAndItsChildrenInItsTotal() {
        String p = fx.project(true);
        String repo = p + "/multi";
        RegistryClient registry = fx.registry();
        byte[] amd = fx.push(registry, repo, "amd64", config("linux", "amd64", "a"), List.of(fx.randomBytes(500)));
        byte[] arm = fx.push(registry, repo, "arm", config("linux", "arm", "b"), List.of(fx.randomBytes(700)));
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(amd) + "\",\"size\":"
                + amd.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(arm) + "\",\"size\":"
                + arm.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}]}");
        assertEquals(201, registry.putManifest(repo, "latest", RegistryClient.OCI_INDEX, index).status());

        JsonObject a = object(api.get("api/v1/repositories/" + repo + "/artifacts/latest", ADMIN));
        assertEquals(RegistryClient.OCI_INDEX, a.getString("media_type"));
        assertTrue(a.isNull("config"));
        assertEquals(List.of(), a.getJsonArray("layers"));
        JsonArray platforms = a.getJsonArray("platforms");
        assertEquals(2, platforms.size());
        assertEquals(RegistryClient.sha256(amd), platforms.getJsonObject(0).getString("digest"));
        assertEquals("amd64", platforms.getJsonObject(0).getString("architecture"));
        assertTrue(platforms.getJsonObject(0).isNull("variant"));
        assertEquals("v7", platforms.getJsonObject(1).getString("variant"));
        long amdTotal = object(api.get("api/v1/repositories/" + repo + "/artifacts/amd64", ADMIN)).getJsonNumber("total_size").longValue();
        long armTotal = object(api.get("api/v1/repositories/" + repo + "/artifacts/arm", ADMIN)).getJsonNumber("total_size").longValue();
        assertEquals(index.length + amdTotal + armTotal, a.getJsonNumber("total_size").longValue());
    }

    @Test
    void referrersOfAnArtifactAreListedWithIt() {
        String p = fx.project(true);
        String repo = p + "/signed";
        RegistryClient registry = fx.registry();
        byte[] image = fx.push(registry, repo, "1", config("linux", "amd64", "x"), List.of(fx.randomBytes(100)));
        byte[] empty = utf8("{}");
        fx.blob(registry, repo, empty);
        byte[] signature = fx.randomBytes(64);
        fx.blob(registry, repo, signature);
        byte[] referrer = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.signature\","
                + "\"config\":" + ContentFixture.descriptor("application/vnd.oci.empty.v1+json", empty) + ","
                + "\"layers\":[" + ContentFixture.descriptor("application/octet-stream", signature) + "],"
                + "\"subject\":" + ContentFixture.descriptor(RegistryClient.OCI_MANIFEST, image) + "}");
        String referrerDigest = RegistryClient.sha256(referrer);
        assertEquals(201, registry.putManifest(repo, referrerDigest, RegistryClient.OCI_MANIFEST, referrer).status());

        JsonObject a = object(api.get("api/v1/repositories/" + repo + "/artifacts/1", ADMIN));
        JsonArray referrers = a.getJsonArray("referrers");
        assertEquals(1, referrers.size());
        assertEquals(referrerDigest, referrers.getJsonObject(0).getString("digest"));
        assertEquals("application/vnd.example.signature", referrers.getJsonObject(0).getString("artifact_type"));
        assertEquals(referrer.length, referrers.getJsonObject(0).getInt("size"));
        JsonObject signatureArtifact = object(api.get("api/v1/repositories/" + repo + "/artifacts/" + referrerDigest, ADMIN));
        assertEquals(RegistryClient.sha256(image), signatureArtifact.getString("subject"));
    }

    // --- tags and deletion ---

    @Test
    void tagsAreAddedMovedAndDeleted() {
        String p = fx.project(true);
        String repo = p + "/tags";
        String d1 = fx.pushImage(repo, "1");
        String d2 = fx.pushImage(repo, "2");
        String tags = "api/v1/repositories/" + repo + "/artifacts/" + d1 + "/tags";

        HttpResponse<String> added = api.send("POST", tags, "{\"name\":\"stable\"}", ADMIN);
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(d1, object(added).getString("digest"));
        assertEquals(200, fx.registry().getManifest(repo, "stable", RegistryClient.OCI_MANIFEST).status());
        assertEquals(d1, object(api.get("api/v1/repositories/" + repo + "/artifacts/stable", ADMIN)).getString("digest"));

        HttpResponse<String> moved = api.send("POST", "api/v1/repositories/" + repo + "/artifacts/" + d2 + "/tags",
                "{\"name\":\"stable\"}", ADMIN);
        assertEquals(201, moved.statusCode(), moved.body());
        assertEquals(d2, object(api.get("api/v1/repositories/" + repo + "/artifacts/stable", ADMIN)).getString("digest"));
        assertEquals(List.of("1"), object(api.get("api/v1/repositories/" + repo + "/artifacts/" + d1, ADMIN))
                .getJsonArray("tags").stream().map(t -> t.asJsonObject().getString("name")).toList());

        assertEquals(400, api.send("POST", tags, "{\"name\":\"-bad-\"}", ADMIN).statusCode());
        assertEquals(400, api.send("POST", tags, "{}", ADMIN).statusCode());
        HttpResponse<String> unknown = api.send("POST", "api/v1/repositories/" + repo + "/artifacts/sha256:" + "0".repeat(64) + "/tags",
                "{\"name\":\"x\"}", ADMIN);
        assertEquals(404, unknown.statusCode());
        assertEquals("MANIFEST_UNKNOWN", errorCode(unknown));

        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repo + "/tags/stable", null, ADMIN).statusCode());
        assertEquals(404, fx.registry().getManifest(repo, "stable", RegistryClient.OCI_MANIFEST).status());
        assertEquals(200, fx.registry().getManifest(repo, d2, RegistryClient.OCI_MANIFEST).status(), "the artifact stays");
        assertEquals(404, api.send("DELETE", "api/v1/repositories/" + repo + "/tags/stable", null, ADMIN).statusCode());
    }

    @Test
    void deletingAnArtifactTakesItsTagsAndDeletingARepositoryTakesEverything() {
        String p = fx.project(true);
        String repo = p + "/gone";
        String d1 = fx.pushImage(repo, "1");
        fx.pushImage(repo, "2");

        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repo + "/artifacts/" + d1, null, ADMIN).statusCode());
        assertEquals(404, api.get("api/v1/repositories/" + repo + "/artifacts/" + d1, ADMIN).statusCode());
        assertEquals(404, fx.registry().getManifest(repo, "1", RegistryClient.OCI_MANIFEST).status());
        assertEquals(404, api.send("DELETE", "api/v1/repositories/" + repo + "/artifacts/" + d1, null, ADMIN).statusCode());
        assertEquals(400, api.send("DELETE", "api/v1/repositories/" + repo + "/artifacts/2", null, ADMIN).statusCode(),
                "artifacts are deleted by digest; tags have their own route");
        assertEquals(1, object(api.get("api/v1/repositories/" + repo, ADMIN)).getInt("artifact_count"));

        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repo, null, ADMIN).statusCode());
        assertEquals(404, api.get("api/v1/repositories/" + repo, ADMIN).statusCode());
        assertEquals(404, fx.registry().listTags(repo, null, null).status());
        assertEquals(List.of(), names(api.get("api/v1/projects/" + p + "/repositories", ADMIN)));
        assertEquals(404, api.send("DELETE", "api/v1/repositories/" + repo, null, ADMIN).statusCode());
        assertEquals(204, api.send("DELETE", "api/v1/projects/" + p, null, ADMIN).statusCode(), "the project is empty now");
    }

    @Test
    void summaryCountsRepositoriesArtifactsTagsAndBytes() {
        String p = fx.project(true);
        RegistryClient registry = fx.registry();
        byte[] config = config("linux", "amd64", "s");
        byte[] layer = fx.randomBytes(4000);
        byte[] m1 = fx.push(registry, p + "/one", "a", config, List.of(layer));
        fx.push(registry, p + "/two", "a", config, List.of(layer));
        assertEquals(201, api.send("POST", "api/v1/repositories/" + p + "/one/artifacts/" + RegistryClient.sha256(m1) + "/tags",
                "{\"name\":\"b\"}", ADMIN).statusCode());

        JsonObject s = object(api.get("api/v1/projects/" + p + "/summary", ADMIN));
        assertEquals(2, s.getInt("repository_count"));
        assertEquals(2, s.getInt("artifact_count"));
        assertEquals(3, s.getInt("tag_count"));
        long one = m1.length + config.length + layer.length;
        assertEquals(2 * one, s.getJsonNumber("logical_bytes").longValue());
        assertEquals(one, s.getJsonNumber("physical_bytes").longValue(), "the same image in two repositories is stored once");
        assertEquals(-1, s.getInt("quota_bytes"));
        assertEquals(404, api.get("api/v1/projects/" + ContentFixture.unique("none") + "/summary", ADMIN).statusCode());
    }

    // --- rights ---

    @Test
    void aPrivateProjectsContentFollowsRoles() {
        String p = fx.project(false);
        String repo = p + "/secret";
        String digest = fx.pushImage(repo, "1");
        String guest = fx.member(p, "guest");
        String developer = fx.member(p, "developer");
        String maintainer = fx.member(p, "maintainer");
        String outsider = fx.user(ContentFixture.unique("o"));
        String artifact = "api/v1/repositories/" + repo + "/artifacts/" + digest;
        String[] reads = {"api/v1/projects/" + p + "/repositories", "api/v1/projects/" + p + "/summary",
            "api/v1/projects/" + p + "/quota", "api/v1/repositories/" + repo, "api/v1/repositories/" + repo + "/artifacts", artifact};

        for (String read : reads) {
            assertEquals(401, api.get(read, null).statusCode(), "anonymous " + read);
            HttpResponse<String> hidden = api.get(read, outsider);
            assertEquals(404, hidden.statusCode(), "outsider " + read);
            assertEquals(200, api.get(read, guest).statusCode(), "guest " + read);
            assertEquals(200, api.get(read, developer).statusCode(), "developer " + read);
        }
        assertEquals(404, api.send("DELETE", "api/v1/repositories/" + repo, null, outsider).statusCode());
        assertEquals(404, api.send("POST", artifact + "/tags", "{\"name\":\"x\"}", outsider).statusCode());

        HttpResponse<String> guestTag = api.send("POST", artifact + "/tags", "{\"name\":\"g\"}", guest);
        assertEquals(403, guestTag.statusCode());
        assertEquals("DENIED", errorCode(guestTag));
        assertEquals(201, api.send("POST", artifact + "/tags", "{\"name\":\"dev\"}", developer).statusCode());

        for (String credentials : new String[] {guest, developer}) {
            assertEquals(403, api.send("DELETE", "api/v1/repositories/" + repo + "/tags/dev", null, credentials).statusCode());
            assertEquals(403, api.send("DELETE", artifact, null, credentials).statusCode());
            assertEquals(403, api.send("DELETE", "api/v1/repositories/" + repo, null, credentials).statusCode());
        }
        assertEquals(403, api.send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":1}", maintainer).statusCode(),
                "only a system administrator sets quotas");
        assertEquals(404, api.send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":1}", outsider).statusCode());
        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repo + "/tags/dev", null, maintainer).statusCode());
        assertEquals(204, api.send("DELETE", artifact, null, maintainer).statusCode());
        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repo, null, maintainer).statusCode());
    }

    @Test
    void aPublicProjectsContentIsReadableByAnyoneButNotChangeable() {
        String p = fx.project(true);
        String repo = p + "/open";
        String digest = fx.pushImage(repo, "1");
        assertEquals(200, api.get("api/v1/projects/" + p + "/repositories", null).statusCode());
        JsonObject a = object(api.get("api/v1/repositories/" + repo + "/artifacts/" + digest, null));
        assertNotNull(a.getJsonArray("tags"));
        assertEquals(401, api.send("DELETE", "api/v1/repositories/" + repo, null, null).statusCode());
        String stranger = fx.user(ContentFixture.unique("s"));
        HttpResponse<String> denied = api.send("DELETE", "api/v1/repositories/" + repo, null, stranger);
        assertEquals(403, denied.statusCode());
        assertEquals("DENIED", errorCode(denied));
        assertEquals(1, names(api.get("api/v1/repositories/" + repo + "/artifacts", stranger)).size());
    }
}
