package org.berth.api.admin;

import static org.berth.api.admin.ContentFixture.config;
import static org.berth.api.admin.GcFixture.age;
import static org.berth.api.admin.GcFixture.blobFile;
import static org.berth.api.admin.GcFixture.bytes;
import static org.berth.api.admin.GcFixture.count;
import static org.berth.api.admin.GcFixture.repository;
import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection against the deployed WAR (issue 16): a dry run reports and deletes nothing,
 * a real run then deletes exactly that set and leaves quotas, the storage metric and the disk in
 * agreement; one run at a time (409), cancel, history, metrics, the audit entry; a HEAD answered
 * 200 keeps its blob for the grace period; delete_untagged keeps index children and referrers.
 * The build runs these with a grace period of 2 s and an upload expiry of 3 s ({@link GcFixture}).
 */
class GcIT extends ITBase {

    private ContentFixture fx;
    private AdminClient api;
    private RegistryClient registry;
    private GcFixture gc;
    private final Random random = new Random();

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
        registry = fx.registry();
        gc = new GcFixture(api);
    }

    private byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private void assertBlob(String repository, byte[] content) {
        RegistryClient.Response r = registry.getBlob(repository, RegistryClient.sha256(content));
        assertEquals(200, r.status(), repository + " " + r);
        assertArrayEquals(content, r.body());
    }

    private void assertNoBlob(String repository, byte[] content) {
        RegistryClient.Response r = registry.getBlob(repository, RegistryClient.sha256(content));
        assertEquals(404, r.status(), repository + " " + r);
        assertEquals(List.of("BLOB_UNKNOWN"), r.errorCodes());
    }

    /** A file under blobs/ that no row names, as a crash between a write and its commit leaves, written an hour ago. */
    private static Path orphan(byte[] content) throws IOException {
        Path file = blobFile(RegistryClient.sha256(UUID.randomUUID().toString()));
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return file;
    }

    @Test
    void aDryRunDeletesNothingAndARealRunThenDeletesExactlyItsSetLeavingQuotasMetricsAndDiskInAgreement() throws Exception {
        String p = fx.project(true);
        String one = p + "/one";
        String two = p + "/two";
        byte[] shared = randomBytes(3000);
        byte[] ownA = randomBytes(1000);
        byte[] ownB = randomBytes(1500);
        // configs of this test's own: one another test pushed too would be linked there and survive the run
        byte[] configA = config("linux", "amd64", "a-" + UUID.randomUUID());
        byte[] configB = config("linux", "amd64", "b-" + UUID.randomUUID());
        byte[] manifestA = fx.push(registry, one, "a", configA, List.of(shared, ownA));
        byte[] manifestB = fx.push(registry, two, "b", configB, List.of(shared, ownB));
        byte[] unreferenced = randomBytes(700);
        fx.blob(registry, one, unreferenced);
        assertEquals(202, registry.deleteManifest(one, RegistryClient.sha256(manifestA)).status());
        // an upload session nobody finishes, and files a crash left behind
        RegistryClient.Response session = registry.startUpload(one);
        byte[] partial = randomBytes(123);
        assertEquals(202, registry.request("PATCH", session.relativeLocation()).contentType("application/octet-stream")
                .body(partial).send().status());
        Path orphan = orphan(randomBytes(456));
        Path scratch = GcFixture.dataRoot().resolve("tmp").resolve(UUID.randomUUID().toString());
        Files.createDirectories(scratch.getParent());
        Files.write(scratch, randomBytes(78));
        Files.setLastModifiedTime(scratch, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        double succeeded = gc.metric("berth_gc_runs_total", "result=\"succeeded\"");
        double deletedBlobs = gc.metric("berth_gc_deleted_total", "kind=\"blobs\"");
        double freed = gc.metric("berth_gc_freed_bytes_total");
        double durations = gc.metric("berth_gc_duration_seconds_count");
        age();

        JsonObject dry = gc.run(true, false);
        assertEquals("succeeded", dry.getString("state"), dry.toString());
        assertTrue(dry.getBoolean("dry_run"));
        JsonObject repoOne = repository(dry, one);
        assertNotNull(repoOne, dry.toString());
        assertEquals(4, repoOne.getInt("links"), "config, shared, own layer, unreferenced blob: " + repoOne);
        assertEquals(configA.length + shared.length + ownA.length + unreferenced.length, repoOne.getInt("link_bytes"));
        assertEquals(1, repoOne.getInt("upload_sessions"));
        assertEquals(partial.length, repoOne.getInt("upload_bytes"));
        assertEquals(0, repoOne.getInt("manifests"));
        assertNull(repository(dry, two), "nothing of " + two + " is garbage: " + dry);
        assertTrue(count(dry, "blobs") >= 4, "config A, own layer A, the unreferenced blob, manifest A's bytes: " + dry);
        assertTrue(count(dry, "orphan_files") >= 2, dry.toString());
        // the dry run deleted nothing (read without HEAD, which would renew the links)
        for (byte[] blob : List.of(configA, shared, ownA, unreferenced)) {
            assertBlob(one, blob);
        }
        assertTrue(Files.exists(blobFile(RegistryClient.sha256(manifestA))));
        assertTrue(Files.exists(orphan) && Files.exists(scratch));
        assertEquals(204, registry.request("GET", session.relativeLocation()).send().status());

        JsonObject real = gc.run(false, false);
        assertEquals("succeeded", real.getString("state"), real.toString());
        assertFalse(real.getBoolean("dry_run"));
        assertEquals(dry.getJsonObject("deleted"), real.getJsonObject("deleted"), "the real run deletes exactly the dry run's set");
        assertEquals(dry.getJsonArray("repositories"), real.getJsonArray("repositories"));
        assertEquals(dry.getJsonNumber("freed_bytes"), real.getJsonNumber("freed_bytes"));

        // what only the deleted image had is gone; the other image is whole
        for (byte[] blob : List.of(configA, shared, ownA, unreferenced)) {
            assertNoBlob(one, blob);
        }
        for (byte[] blob : List.of(configA, ownA, unreferenced, manifestA)) {
            assertFalse(Files.exists(blobFile(RegistryClient.sha256(blob))), "file of a collected blob");
        }
        RegistryClient.Response b = registry.getManifest(two, "b", RegistryClient.OCI_MANIFEST);
        assertEquals(200, b.status());
        assertArrayEquals(manifestB, b.body());
        for (byte[] blob : List.of(configB, shared, ownB)) {
            assertBlob(two, blob);
        }
        assertFalse(Files.exists(orphan), "orphan file");
        assertFalse(Files.exists(scratch), "scratch file");
        assertEquals(404, registry.request("GET", session.relativeLocation()).send().status(), "expired upload session");

        // quotas: exactly what the remaining image holds
        JsonObject quota = object(api.get("api/v1/projects/" + p + "/quota", ADMIN));
        long image = manifestB.length + configB.length + shared.length + ownB.length;
        assertEquals(image, quota.getJsonNumber("physical_bytes").longValue(), quota.toString());
        assertEquals(image, quota.getJsonNumber("logical_bytes").longValue(), quota.toString());
        assertEquals(image, quota.getJsonNumber("used_bytes").longValue(), quota.toString());
        // the storage metric, the system information and the disk agree
        long onDisk = GcFixture.bytesOnDisk();
        assertEquals(onDisk, (long) gc.metric("berth_storage_used_bytes"), "berth_storage_used_bytes against the disk");
        assertEquals(onDisk, object(api.get("api/v1/systeminfo", ADMIN)).getJsonObject("storage").getJsonNumber("used_bytes").longValue());

        // metrics: two runs succeeded, the real one's deletions and bytes counted
        assertEquals(succeeded + 2, gc.metric("berth_gc_runs_total", "result=\"succeeded\""));
        assertEquals(deletedBlobs + count(real, "blobs"), gc.metric("berth_gc_deleted_total", "kind=\"blobs\""));
        assertEquals(freed + real.getJsonNumber("freed_bytes").longValue(), gc.metric("berth_gc_freed_bytes_total"));
        assertEquals(durations + 2, gc.metric("berth_gc_duration_seconds_count"));

        // the history, newest first, and the status
        HttpResponse<String> history = api.get("api/v1/system/gc/runs?page=1&page_size=2", ADMIN);
        assertEquals(200, history.statusCode());
        List<JsonObject> runs = AdminClient.array(history).getValuesAs(JsonObject.class);
        assertEquals(List.of(real.getJsonNumber("id"), dry.getJsonNumber("id")), runs.stream().map(r -> r.getJsonNumber("id")).toList());
        assertTrue(Long.parseLong(history.headers().firstValue("X-Total-Count").orElseThrow()) >= 2);
        JsonObject status = object(api.get("api/v1/system/gc", ADMIN));
        assertEquals(2, status.getInt("grace_seconds"));
        assertEquals(3, status.getInt("upload_expiry_seconds"));
        assertEquals(real.getJsonNumber("id"), status.getJsonObject("last").getJsonNumber("id"));
        assertTrue(status.isNull("running"));

        // one audit entry per run, with its counts
        for (JsonObject run : List.of(dry, real)) {
            JsonObject entry = auditEntry(run.getJsonNumber("id").longValue());
            assertEquals("admin", entry.getString("username"));
            assertEquals("gc", entry.getString("resource_type"));
            assertEquals("success", entry.getString("result"));
            assertTrue(entry.getString("detail").contains(run.getBoolean("dry_run") ? "would delete blobs " : "deleted blobs "), entry.toString());
        }
    }

    private JsonObject auditEntry(long runId) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            HttpResponse<String> r = api.get("api/v1/audit-logs?operation=gc&resource=run%20" + runId, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            List<JsonObject> entries = AdminClient.array(r).getValuesAs(JsonObject.class).stream()
                    .filter(e -> ("run " + runId).equals(e.getString("resource"))).toList();
            if (!entries.isEmpty()) {
                assertEquals(1, entries.size(), "one entry per run: " + entries);
                return entries.get(0);
            }
            if (System.currentTimeMillis() > deadline) {
                fail("no audit entry for garbage collection run " + runId);
            }
            GcFixture.pause(200);
        }
    }

    @Test
    void aSecondStartIsRefusedWhileARunRunsAndACancelStopsItWithinASecondLeavingEveryCountTrue() throws Exception {
        List<Path> orphans = new ArrayList<>();
        byte[] content = {1};
        for (int i = 0; i < 20_000; i++) {
            orphans.add(orphan(content));
        }
        JsonObject run = gc.start(false, false);
        long id = run.getJsonNumber("id").longValue();
        HttpResponse<String> second = api.send("POST", "api/v1/system/gc", "{\"dry_run\":true}", ADMIN);
        assertEquals(409, second.statusCode(), second.body());
        assertEquals("CONFLICT", errorCode(second));
        assertTrue(AdminClient.errorMessage(second).contains("run " + id + " is running"), second.body());
        assertEquals(id, object(api.get("api/v1/system/gc", ADMIN)).getJsonObject("running").getJsonNumber("id").longValue());

        // once it is removing orphan files, stop it
        long deadline = System.currentTimeMillis() + 60_000;
        JsonObject progress = gc.get(id);
        while (!("orphans".equals(progress.getJsonObject("progress").getString("phase")) && count(progress, "orphan_files") > 0)) {
            assertEquals("running", progress.getString("state"), "the run ended before it could be cancelled: " + progress);
            assertTrue(System.currentTimeMillis() < deadline, "the run never reached its orphan phase: " + progress);
            GcFixture.pause(20);
            progress = gc.get(id);
        }
        HttpResponse<String> cancel = api.send("POST", "api/v1/system/gc/cancel", null, ADMIN);
        Instant cancelled = Instant.now();
        assertEquals(202, cancel.statusCode(), "the run ended before it could be cancelled: " + cancel.body());
        assertTrue(object(cancel).getBoolean("cancel_requested"));
        JsonObject ended = gc.awaitEnd(id);
        assertEquals("cancelled", ended.getString("state"), ended.toString());
        assertTrue(ended.getBoolean("cancel_requested"));
        Instant endedAt = Instant.parse(ended.getString("ended_at"));
        assertTrue(Duration.between(cancelled, endedAt).toMillis() <= 1000, "stopped " + Duration.between(cancelled, endedAt) + " after the cancel");
        long removed = orphans.stream().filter(f -> !Files.exists(f)).count();
        assertTrue(removed < orphans.size(), "it stopped before the end: " + ended);
        assertTrue(count(ended, "orphan_files") >= removed, "every file removed is counted: " + ended);
        assertEquals(409, api.send("POST", "api/v1/system/gc/cancel", null, ADMIN).statusCode(), "nothing runs to cancel");

        // the next run finishes the job
        JsonObject next = gc.run(false, false);
        assertEquals("succeeded", next.getString("state"));
        assertTrue(count(next, "orphan_files") >= orphans.size() - removed, next.toString());
        assertTrue(orphans.stream().noneMatch(Files::exists), "every orphan file is gone");
    }

    @Test
    void aHeadAnswered200KeepsTheBlobForTheGracePeriodAndACollectedBlobCanBePushedAgain() {
        String repository = fx.project(true) + "/head";
        byte[] promised = randomBytes(800);
        byte[] forgotten = randomBytes(900);
        fx.blob(registry, repository, promised);
        fx.blob(registry, repository, forgotten);
        age();
        // docker HEADs a layer, skips its upload, and puts the manifest later
        assertEquals(200, registry.headBlob(repository, RegistryClient.sha256(promised)).status());
        JsonObject run = gc.run(false, false);
        assertEquals("succeeded", run.getString("state"));
        assertEquals(1, repository(run, repository).getInt("links"), "only the blob nobody asked for: " + run);
        assertEquals(200, registry.headBlob(repository, RegistryClient.sha256(promised)).status());
        assertEquals(404, registry.headBlob(repository, RegistryClient.sha256(forgotten)).status());
        byte[] config = config("linux", "amd64", "head");
        fx.blob(registry, repository, config);
        assertEquals(201, registry.putManifest(repository, "1", RegistryClient.OCI_MANIFEST,
                ContentFixture.manifest(config, List.of(promised), null)).status(), "the HEAD's promise holds");
        // a collected blob is pushed again as if it were new
        fx.blob(registry, repository, forgotten);
        assertBlob(repository, forgotten);
        assertTrue(Files.exists(blobFile(RegistryClient.sha256(forgotten))));
    }

    @Test
    void deleteUntaggedDeletesOnlyWhatNothingKeepsNeitherIndexChildrenNorReferrersOfKeptArtifacts() {
        String repository = fx.project(true) + "/untagged";
        byte[] tagged = pushImage(repository, "tagged", null);
        byte[] child = pushImage(repository, null, null);
        byte[] index = index(child);
        assertEquals(201, registry.putManifest(repository, "multi", RegistryClient.OCI_INDEX, index).status());
        List<byte[]> untaggedBlobs = new ArrayList<>();
        byte[] untagged = pushImage(repository, null, untaggedBlobs);
        byte[] signature = pushImage(repository, null, null, ContentFixture.descriptor(RegistryClient.OCI_MANIFEST, tagged));
        byte[] orphanSignature = pushImage(repository, null, untaggedBlobs, ContentFixture.descriptor(RegistryClient.OCI_MANIFEST, untagged));
        age();

        JsonObject keep = gc.run(true, false);
        assertNull(repository(keep, repository), "without delete_untagged every manifest and its links stay: " + keep);
        JsonObject dry = gc.run(true, true);
        JsonObject entry = repository(dry, repository);
        assertNotNull(entry, dry.toString());
        assertEquals(2, entry.getInt("manifests"), "the untagged image and its signature: " + entry);
        assertEquals(untagged.length + orphanSignature.length, entry.getInt("manifest_bytes"));
        assertEquals(4, entry.getInt("links"), "their configs and layers: " + entry);
        JsonObject real = gc.run(false, true);
        assertEquals(dry.getJsonObject("deleted"), real.getJsonObject("deleted"));
        assertEquals(entry, repository(real, repository));

        for (byte[] gone : List.of(untagged, orphanSignature)) {
            assertEquals(404, registry.getManifest(repository, RegistryClient.sha256(gone), RegistryClient.OCI_MANIFEST).status());
        }
        for (byte[] kept : List.of(tagged, child, signature)) {
            assertEquals(200, registry.getManifest(repository, RegistryClient.sha256(kept), RegistryClient.OCI_MANIFEST).status());
        }
        assertEquals(200, registry.getManifest(repository, "multi", RegistryClient.OCI_INDEX).status());
        untaggedBlobs.forEach(blob -> assertNoBlob(repository, blob));
        RegistryClient.Response referrers = registry.referrers(repository, RegistryClient.sha256(tagged), null);
        assertTrue(referrers.bodyText().contains(RegistryClient.sha256(signature)), referrers.toString());
    }

    private byte[] pushImage(String repository, String tag, List<byte[]> blobs) {
        return pushImage(repository, tag, blobs, null);
    }

    /** An image of its own config and layer, by tag or (tag null) by digest; its blobs are added to {@code blobs}. */
    private byte[] pushImage(String repository, String tag, List<byte[]> blobs, String subject) {
        byte[] config = config("linux", "amd64", UUID.randomUUID().toString());
        byte[] layer = randomBytes(500);
        fx.blob(registry, repository, config);
        fx.blob(registry, repository, layer);
        byte[] manifest = ContentFixture.manifest(config, List.of(layer), subject);
        RegistryClient.Response r = registry.putManifest(repository, tag == null ? RegistryClient.sha256(manifest) : tag,
                RegistryClient.OCI_MANIFEST, manifest);
        assertEquals(201, r.status(), r.toString());
        if (blobs != null) {
            blobs.add(config);
            blobs.add(layer);
        }
        return manifest;
    }

    private static byte[] index(byte[] child) {
        return ContentFixture.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(child)
                + "\",\"size\":" + child.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
    }

    @Test
    void onlySystemAdministratorsControlGarbageCollectionAndBadRequestsGetOciErrors() {
        HttpResponse<String> anonymous = api.get("api/v1/system/gc", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent(), "401 with a challenge");
        assertEquals("UNAUTHORIZED", errorCode(anonymous));
        assertEquals(401, api.send("POST", "api/v1/system/gc", "{}", null).statusCode());

        String user = fx.user(ContentFixture.unique("gcu"));
        for (String[] call : List.of(new String[] {"GET", "api/v1/system/gc"}, new String[] {"POST", "api/v1/system/gc"},
                new String[] {"POST", "api/v1/system/gc/cancel"}, new String[] {"GET", "api/v1/system/gc/runs"},
                new String[] {"GET", "api/v1/system/gc/runs/1"})) {
            HttpResponse<String> r = api.send(call[0], call[1], call[0].equals("POST") ? "{\"dry_run\":true}" : null, user);
            assertEquals(403, r.statusCode(), call[0] + " " + call[1] + ": " + r.body());
            assertEquals("DENIED", errorCode(r));
        }

        for (String body : List.of("{\"dryrun\":true}", "{\"dry_run\":\"yes\"}", "[]", "{\"delete_untagged\":1}")) {
            HttpResponse<String> r = api.send("POST", "api/v1/system/gc", body, ADMIN);
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertEquals("INVALID_REQUEST", errorCode(r));
        }
        for (String id : List.of("999999999", "abc")) {
            HttpResponse<String> r = api.get("api/v1/system/gc/runs/" + id, ADMIN);
            assertEquals(404, r.statusCode(), r.body());
            assertEquals("NOT_FOUND", errorCode(r));
        }
        HttpResponse<String> big = api.get("api/v1/system/gc/runs?page_size=101", ADMIN);
        assertEquals(400, big.statusCode());
        assertEquals("INVALID_REQUEST", errorCode(big));
        HttpResponse<String> nothing = api.send("POST", "api/v1/system/gc/cancel", null, ADMIN);
        assertEquals(409, nothing.statusCode(), nothing.body());
        assertEquals("CONFLICT", errorCode(nothing));
    }

    @Test
    void theHistoryKeepsTheLast50Runs() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            ids.add(gc.run(true, false).getJsonNumber("id").longValue());
        }
        HttpResponse<String> all = api.get("api/v1/system/gc/runs?page=1&page_size=100", ADMIN);
        assertEquals(200, all.statusCode());
        assertEquals("50", all.headers().firstValue("X-Total-Count").orElseThrow());
        List<Long> listed = AdminClient.array(all).getValuesAs(JsonObject.class).stream()
                .map(r -> r.getJsonNumber("id").longValue()).toList();
        List<Long> newest = new ArrayList<>(ids.subList(1, 51));
        java.util.Collections.reverse(newest);
        assertEquals(newest, listed, "the newest 50, newest first");
        assertEquals(404, api.get("api/v1/system/gc/runs/" + ids.get(0), ADMIN).statusCode(), "the oldest is forgotten");
        HttpResponse<String> page = api.get("api/v1/system/gc/runs?page=3&page_size=20", ADMIN);
        assertEquals(10, AdminClient.array(page).size());
    }
}
