package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.berth.api.admin.ContentFixture.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Project quotas against the deployed WAR: usage is exact and dedupe-aware, a push that would
 * exceed the limit is refused with 403 DENIED and leaves nothing counted, and pushing up to the
 * limit exactly succeeds.
 */
class QuotaIT extends ITBase {

    private ContentFixture fx;
    private AdminClient api;
    private RegistryClient registry;

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
        registry = fx.registry();
    }

    private JsonObject quota(String project) {
        HttpResponse<String> r = api.get("api/v1/projects/" + project + "/quota", ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return object(r);
    }

    private long used(String project) {
        return quota(project).getJsonNumber("used_bytes").longValue();
    }

    private void limit(String project, long bytes) {
        HttpResponse<String> r = api.send("PUT", "api/v1/projects/" + project + "/quota", "{\"limit_bytes\":" + bytes + "}", ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(bytes, object(r).getJsonNumber("limit_bytes").longValue());
    }

    private static void assertQuotaRefusal(RegistryClient.Response r, String project, long limit, long used) {
        assertEquals(403, r.status(), r.toString());
        assertEquals(List.of("DENIED"), r.errorCodes());
        assertTrue(r.bodyText().contains("quota exceeded: project '" + project + "' limit " + limit + " bytes, used " + used + " bytes"),
                r.bodyText());
    }

    @Test
    void defaultIsUnlimitedAndOnlyASystemAdministratorSetsIt() {
        String p = fx.project(false);
        JsonObject q = quota(p);
        assertEquals(-1, q.getInt("limit_bytes"));
        assertEquals(0, q.getInt("used_bytes"));
        String admin = fx.member(p, "project_admin");
        HttpResponse<String> refused = api.send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":10}", admin);
        assertEquals(403, refused.statusCode());
        assertEquals("DENIED", errorCode(refused));
        assertEquals(200, api.get("api/v1/projects/" + p + "/quota", admin).statusCode());
        assertEquals(400, api.send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":-2}", ADMIN).statusCode());
        assertEquals(400, api.send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":\"10\"}", ADMIN).statusCode());
        assertEquals(400, api.send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":1.5}", ADMIN).statusCode());
        assertEquals(404, api.send("PUT", "api/v1/projects/" + ContentFixture.unique("n") + "/quota", "{\"limit_bytes\":1}", ADMIN)
                .statusCode());
        limit(p, 10);
        assertEquals(10, object(api.get("api/v1/projects/" + p + "/summary", ADMIN)).getInt("quota_bytes"));
        limit(p, -1);
    }

    @Test
    void layersSharedByTwoRepositoriesCountOncePhysicallyAndTwiceLogically() {
        String p = fx.project(true);
        byte[] shared = fx.randomBytes(5000);
        byte[] own1 = fx.randomBytes(100);
        byte[] own2 = fx.randomBytes(200);
        byte[] c1 = config("linux", "amd64", "1");
        byte[] c2 = config("linux", "amd64", "2");
        byte[] m1 = fx.push(registry, p + "/one", "1", c1, List.of(shared, own1));
        byte[] m2 = fx.push(registry, p + "/two", "1", c2, List.of(shared, own2));
        JsonObject q = quota(p);
        long physical = m1.length + m2.length + c1.length + c2.length + shared.length + own1.length + own2.length;
        assertEquals(physical, q.getJsonNumber("physical_bytes").longValue());
        assertEquals(physical, q.getJsonNumber("used_bytes").longValue());
        assertEquals(physical + shared.length, q.getJsonNumber("logical_bytes").longValue());
    }

    @Test
    void aPushExactlyToTheLimitSucceeds() {
        String p = fx.project(true);
        byte[] config = config("linux", "amd64", "exact");
        byte[] layer = fx.randomBytes(3000);
        byte[] manifest = ContentFixture.manifest(config, List.of(layer), null);
        limit(p, config.length + layer.length + manifest.length);
        fx.push(registry, p + "/exact", "1", config, List.of(layer));
        JsonObject q = quota(p);
        assertEquals(q.getJsonNumber("limit_bytes").longValue(), q.getJsonNumber("used_bytes").longValue());

        // Full now: one more byte is refused, content the project already has costs nothing.
        byte[] extra = fx.randomBytes(1);
        long limit = config.length + layer.length + manifest.length;
        assertQuotaRefusal(registry.uploadBlob(p + "/exact", RegistryClient.sha256(extra), extra), p, limit, limit);
        fx.push(registry, p + "/again", "1", config, List.of(layer));
        assertEquals(limit, used(p));
    }

    @Test
    void aRefusedPushLeavesUsageUnchangedAndARaisedLimitLetsItThrough() {
        String p = fx.project(true);
        String repo = p + "/app";
        fx.pushImage(repo, "base");
        long before = used(p);
        limit(p, before + 1000);
        byte[] big = fx.randomBytes(1500);
        String digest = RegistryClient.sha256(big);

        assertQuotaRefusal(registry.uploadBlob(repo, digest, big), p, before + 1000, before);
        assertQuotaRefusal(registry.uploadBlobStreamed(repo, digest, big), p, before + 1000, before);
        assertQuotaRefusal(registry.uploadBlobChunked(repo, digest, big, 500), p, before + 1000, before);
        assertQuotaRefusal(registry.postBlob(repo, digest, big), p, before + 1000, before);
        assertEquals(404, registry.headBlob(repo, digest).status(), "the refused blob is not linked");
        assertEquals(before, used(p));

        limit(p, before + 1500);
        assertEquals(201, registry.uploadBlob(repo, digest, big).status());
        assertEquals(before + 1500, used(p));
        assertEquals(200, registry.headBlob(repo, digest).status());
    }

    @Test
    void aManifestThatWouldExceedTheLimitIsRefused() {
        String p = fx.project(true);
        String repo = p + "/manifest";
        byte[] config = config("linux", "amd64", "m");
        byte[] layer = fx.randomBytes(1000);
        byte[] manifest = ContentFixture.manifest(config, List.of(layer), null);
        long blobs = config.length + layer.length;
        limit(p, blobs + manifest.length - 1);
        fx.blob(registry, repo, config);
        fx.blob(registry, repo, layer);
        assertQuotaRefusal(registry.putManifest(repo, "1", RegistryClient.OCI_MANIFEST, manifest), p,
                blobs + manifest.length - 1, blobs);
        assertEquals(404, registry.getManifest(repo, "1", RegistryClient.OCI_MANIFEST).status());
        assertEquals(blobs, used(p));

        limit(p, blobs + manifest.length);
        assertEquals(201, registry.putManifest(repo, "1", RegistryClient.OCI_MANIFEST, manifest).status());
        assertEquals(blobs + manifest.length, used(p));
    }

    @Test
    void aMountIsCountedLikeAnUpload() {
        String source = fx.project(true);
        byte[] layer = fx.randomBytes(2000);
        String digest = RegistryClient.sha256(layer);
        fx.blob(registry, source + "/src", layer);

        String p = fx.project(true);
        fx.blob(registry, p + "/first", fx.randomBytes(10));
        limit(p, 1000);
        assertQuotaRefusal(registry.mount(p + "/dest", digest, source + "/src"), p, 1000, 10);
        assertEquals(404, registry.headBlob(p + "/dest", digest).status());
        assertEquals(10, used(p));

        limit(p, 2010);
        assertEquals(201, registry.mount(p + "/dest", digest, source + "/src").status());
        assertEquals(2010, used(p));
        // Full: mounting what the project already holds into another of its repositories is free.
        assertEquals(201, registry.mount(p + "/other", digest, p + "/dest").status());
        assertEquals(2010, used(p));
    }

    @Test
    void ofTwoConcurrentUploadsThatFitOnlyOneByOneOnlyOneIsAdmitted() throws Exception {
        String p = fx.project(true);
        fx.blob(registry, p + "/seed", fx.randomBytes(10));
        limit(p, 10 + 3000);
        List<Callable<Integer>> uploads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] blob = fx.randomBytes(2000);
            String repo = p + "/r" + i;
            uploads.add(() -> fx.registry().uploadBlob(repo, RegistryClient.sha256(blob), blob).status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(uploads)) {
                statuses.add(f.get());
            }
            statuses.sort(Integer::compare);
            assertEquals(List.of(201, 403), statuses);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10 + 2000, used(p));
    }
}
