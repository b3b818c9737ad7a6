package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.Distribution;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication against the deployed WAR and a real registry at the other end (issue 21): Debian's
 * {@code docker-registry} (CNCF Distribution 2.8.2, no referrers API) on a free loopback port,
 * one per class. Push rules copy an image, an index with its children and a referrer (attached
 * to its subject by the referrers tag there); pull rules copy into a local project; filters
 * hold; a second run skips everything; a dead destination fails tasks readably and a retry
 * repeats only those; only system administrators may do any of it. Each test has its own rule,
 * projects and repositories. A cron rule is armed by the first test and checked by the last, so
 * that its first occurrence (the next whole minute) mostly passes while the others run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT extends ITBase {

    private static final String RULES = "api/v1/replication/rules";
    private static final String EXECUTIONS = "api/v1/replication/executions";
    private static final String ARTIFACT_TYPE = "application/vnd.example.signature.v1";

    @TempDir
    static Path dir;
    private static Distribution distribution;

    private ContentFixture fx;
    private AdminClient api;
    private RegistryClient remote;

    @BeforeAll
    static void startDistribution() throws Exception {
        Assumptions.assumeTrue(Distribution.binary().isPresent(), "docker-registry (Distribution) is not installed");
        distribution = Distribution.start(dir);
    }

    @AfterAll
    static void stopDistribution() throws Exception {
        if (distribution != null) {
            distribution.close();
        }
    }

    @BeforeEach
    void fixture() {
        fx = new ContentFixture(base());
        api = fx.api;
        remote = new RegistryClient(distribution.url());
    }

    // ------------------------------------------------------------------ helpers

    /** A registry endpoint at the URL; returns its name. */
    private String endpoint(String url) {
        String name = ContentFixture.unique("r");
        HttpResponse<String> r = api.send("POST", "api/v1/registries",
                "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"verify_tls\":true}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return name;
    }

    private JsonObject createRule(String body) {
        HttpResponse<String> r = api.send("POST", RULES, body, ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return object(r);
    }

    /** A push rule to Distribution of a new project with nothing in it (an execution with no task); returns its name. */
    private String emptyPushRule(String prefix) {
        String project = fx.project(false);
        String registry = endpoint(distribution.url().toString());
        String name = ContentFixture.unique(prefix);
        createRule("{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + project + "/**\"}}");
        return name;
    }

    private JsonObject start(String rule) {
        HttpResponse<String> r = api.send("POST", RULES + "/" + rule + "/executions", "", ADMIN);
        assertEquals(202, r.statusCode(), r.body());
        return object(r);
    }

    /** Polls the execution until it ended (at most 40 s). */
    private JsonObject await(long id) throws InterruptedException {
        long deadline = System.nanoTime() + 40_000_000_000L;
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = api.get(EXECUTIONS + "/" + id, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            last = object(r);
            if (Set.of("succeeded", "failed", "stopped").contains(last.getString("status"))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("execution " + id + " did not end: " + last);
    }

    private List<JsonObject> tasks(long id, String status) {
        HttpResponse<String> r = api.get(EXECUTIONS + "/" + id + "/tasks?page_size=100" + (status == null ? "" : "&status=" + status),
                ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return array(r).getValuesAs(JsonObject.class);
    }

    private static long count(JsonObject execution, String status) {
        return execution.getJsonObject("tasks").getJsonNumber(status).longValue();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, errorCode(r), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    /**
     * Pushes a config and two layers and the image under the tag; returns its manifest bytes. The
     * config is this test's own (a random label): the ITs share one server, and a config another
     * test pushes too would be linked here and outlive that test's garbage collection.
     */
    private byte[] image(RegistryClient registry, String repository, String tag) {
        return fx.push(registry, repository, tag, ContentFixture.config("linux", "amd64", tag + "-" + UUID.randomUUID()),
                List.of(fx.randomBytes(3_000), fx.randomBytes(70_000)));
    }

    /** Pushes an image by digest (an index's child); returns its manifest bytes. */
    private byte[] child(RegistryClient registry, String repository, String architecture) {
        byte[] config = ContentFixture.config("linux", architecture, architecture + "-" + UUID.randomUUID());
        byte[] layer = fx.randomBytes(2_000);
        fx.blob(registry, repository, config);
        fx.blob(registry, repository, layer);
        byte[] manifest = ContentFixture.manifest(config, List.of(layer), null);
        RegistryClient.Response r = registry.putManifest(repository, RegistryClient.sha256(manifest), RegistryClient.OCI_MANIFEST,
                manifest);
        assertEquals(201, r.status(), r.toString());
        return manifest;
    }

    private static String manifestDescriptor(byte[] manifest, String platform) {
        return "{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(manifest)
                + "\",\"size\":" + manifest.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + platform + "\"}}";
    }

    private String digestAt(RegistryClient registry, String repository, String reference) {
        RegistryClient.Response r = registry.headManifest(repository, reference,
                RegistryClient.OCI_MANIFEST + ", " + RegistryClient.OCI_INDEX);
        return r.status() == 200 ? r.header("Docker-Content-Digest") : null;
    }

    // ------------------------------------------------------------------ tests

    /** The cron rule of {@link #aCronRuleIsArmedFirst}, its repository and the image's digest there. */
    private static String cronRule;
    private static String cronRepository;
    private static String cronDigest;

    @Test
    @Order(1)
    void aCronRuleIsArmedFirst() {
        String project = fx.project(false);
        cronRepository = project + "/nightly";
        RegistryClient local = fx.registry();
        image(local, cronRepository, "v1");
        cronDigest = digestAt(local, cronRepository, "v1");
        String registry = endpoint(distribution.url().toString());
        cronRule = ContentFixture.unique("cron");
        JsonObject rule = createRule("{\"name\":\"" + cronRule + "\",\"direction\":\"push\",\"registry\":\"" + registry
                + "\",\"filters\":{\"repository\":\"" + cronRepository + "\"},\"trigger\":{\"type\":\"cron\",\"cron\":\"* * * * *\"}}");
        assertEquals("* * * * *", rule.getJsonObject("trigger").getString("cron"), rule.toString());
        assertEquals(JsonValue.NULL, rule.get("last_execution"), "nothing runs before the occurrence comes");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theCronTriggerRunsTheRuleAtItsOccurrence() throws Exception {
        Assumptions.assumeTrue(cronRule != null, "aCronRuleIsArmedFirst ran");
        // the next whole minute, seen by the worker's cron look every 10 s
        long deadline = System.nanoTime() + 150_000_000_000L;
        JsonObject fired = null;
        while (fired == null && System.nanoTime() < deadline) {
            HttpResponse<String> r = api.get(EXECUTIONS + "?rule=" + cronRule + "&page_size=10", ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            fired = array(r).getValuesAs(JsonObject.class).stream().findFirst().orElse(null);
            if (fired == null) {
                Thread.sleep(500);
            }
        }
        assertNotNull(fired, "the cron rule did not run within 150 s");
        assertEquals("cron", fired.getString("trigger"), fired.toString());
        JsonObject ended = await(fired.getJsonNumber("id").longValue());
        assertEquals("succeeded", ended.getString("status"), ended.toString());
        assertEquals(cronDigest, digestAt(remote, cronRepository, "v1"), "the image is at the destination");

        // disabled, it fires no more (the server outlives this class): one execution per occurrence
        HttpResponse<String> off = api.send("PATCH", RULES + "/" + cronRule, "{\"enabled\":false}", ADMIN);
        assertEquals(200, off.statusCode(), off.body());
        HttpResponse<String> all = api.get(EXECUTIONS + "?rule=" + cronRule + "&page_size=100", ADMIN);
        List<JsonObject> executions = array(all).getValuesAs(JsonObject.class);
        Set<String> minutes = executions.stream().map(e -> e.getString("created_at").substring(0, 16)).collect(Collectors.toSet());
        assertEquals(executions.size(), minutes.size(), "one execution per occurrence: " + executions);
    }

    @Test
    void aPushRuleCopiesImagesIndexesAndReferrersAndASecondRunSkipsThem() throws Exception {
        String project = fx.project(false);
        String repository = project + "/app";
        String namespace = ContentFixture.unique("mirror");
        RegistryClient local = fx.registry();

        byte[] image = image(local, repository, "v1");
        String imageDigest = RegistryClient.sha256(image);
        image(local, repository, "dev-1"); // left out by the tag filter
        byte[] amd64 = child(local, repository, "amd64");
        byte[] arm64 = child(local, repository, "arm64");
        byte[] index = ContentFixture.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":["
                + manifestDescriptor(amd64, "amd64") + "," + manifestDescriptor(arm64, "arm64") + "]}");
        assertEquals(201, local.putManifest(repository, "multi", RegistryClient.OCI_INDEX, index).status());
        // a signature: an OCI artifact whose subject is the image, pushed by digest
        byte[] empty = ContentFixture.utf8("{}");
        byte[] signature = fx.randomBytes(500);
        fx.blob(local, repository, empty);
        fx.blob(local, repository, signature);
        byte[] referrer = ContentFixture.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
                + "\"artifactType\":\"" + ARTIFACT_TYPE + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"" + RegistryClient.sha256(empty) + "\",\"size\":2},\"layers\":["
                + ContentFixture.descriptor("application/octet-stream", signature) + "],\"subject\":{\"mediaType\":\""
                + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + imageDigest + "\",\"size\":" + image.length + "}}");
        String referrerDigest = RegistryClient.sha256(referrer);
        assertEquals(201, local.putManifest(repository, referrerDigest, RegistryClient.OCI_MANIFEST, referrer).status());

        String registry = endpoint(distribution.url().toString());
        String name = ContentFixture.unique("push");
        JsonObject rule = createRule("{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + project + "/**\",\"tag\":\"dev-*\",\"tag_match\":\"exclude\"},"
                + "\"destination\":{\"namespace\":\"" + namespace + "\",\"path\":\"replace\"}}");
        assertEquals("manual", rule.getJsonObject("trigger").getString("type"));
        assertTrue(rule.getBoolean("override"));
        assertEquals(JsonValue.NULL, rule.get("last_execution"));

        JsonObject started = start(name);
        assertEquals("manual", started.getString("trigger"));
        assertEquals(JsonValue.NULL, started.get("retry_of"));
        assertError(api.send("POST", RULES + "/" + name + "/executions", "", ADMIN), 409, "CONFLICT");
        JsonObject done = await(started.getJsonNumber("id").longValue());

        assertEquals("succeeded", done.getString("status"), done.toString());
        assertEquals(2, count(done, "total"), done.toString());
        assertEquals(2, count(done, "succeeded"), done.toString());
        assertTrue(done.getJsonNumber("bytes_total").longValue() > 70_000, done.toString());
        assertEquals(done.getJsonNumber("bytes_total").longValue(), done.getJsonNumber("bytes_done").longValue());
        assertNotNull(done.getString("started_at"));
        assertNotNull(done.getString("finished_at"));
        assertEquals(JsonValue.NULL, done.get("error"));

        Map<String, JsonObject> byTag = tasks(done.getJsonNumber("id").longValue(), null).stream()
                .collect(Collectors.toMap(t -> t.getString("source"), t -> t));
        assertEquals(Set.of(repository + ":v1", repository + ":multi"), byTag.keySet());
        JsonObject v1 = byTag.get(repository + ":v1");
        assertEquals(namespace + "/app:v1", v1.getString("destination"));
        assertEquals(imageDigest, v1.getString("digest"));
        assertEquals("copy", v1.getString("operation"));
        assertTrue(v1.getJsonNumber("bytes").longValue() > 70_000, v1.toString());

        String mirror = namespace + "/app";
        assertEquals(imageDigest, digestAt(remote, mirror, "v1"));
        assertEquals(RegistryClient.sha256(index), digestAt(remote, mirror, "multi"));
        assertEquals(RegistryClient.sha256(amd64), digestAt(remote, mirror, RegistryClient.sha256(amd64)));
        assertEquals(RegistryClient.sha256(arm64), digestAt(remote, mirror, RegistryClient.sha256(arm64)));
        assertEquals(null, digestAt(remote, mirror, "dev-1"), "the excluded tag stays home");
        assertEquals(200, remote.headBlob(mirror, RegistryClient.sha256(signature)).status());
        // Distribution 2.8 has no referrers API: the referrer is listed under the subject's referrers tag
        assertEquals(referrerDigest, digestAt(remote, mirror, referrerDigest));
        RegistryClient.Response tagSchema = remote.getManifest(mirror, "sha256-" + imageDigest.substring(7), RegistryClient.OCI_INDEX);
        assertEquals(200, tagSchema.status(), tagSchema.toString());
        assertTrue(tagSchema.bodyText().contains(referrerDigest), tagSchema.bodyText());
        assertTrue(tagSchema.bodyText().contains(ARTIFACT_TYPE), tagSchema.bodyText());

        // the second run finds everything there: skipped, no byte sent
        JsonObject again = await(start(name).getJsonNumber("id").longValue());
        assertEquals("succeeded", again.getString("status"), again.toString());
        assertEquals(2, count(again, "skipped"), again.toString());
        assertEquals(0, again.getJsonNumber("bytes_done").longValue());
        for (JsonObject task : tasks(again.getJsonNumber("id").longValue(), "skipped")) {
            assertEquals(0, task.getJsonNumber("bytes").longValue());
            assertEquals("already at the destination", task.getString("reason"), task.toString());
            assertEquals(JsonValue.NULL, task.get("error"));
        }

        JsonObject read = object(api.get(RULES + "/" + name, ADMIN));
        assertEquals(again.getJsonNumber("id").longValue(), read.getJsonObject("last_execution").getJsonNumber("id").longValue());
        HttpResponse<String> history = api.get(EXECUTIONS + "?rule=" + name, ADMIN);
        assertEquals("2", history.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(again.getJsonNumber("id").longValue(), array(history).getJsonObject(0).getJsonNumber("id").longValue(),
                "newest first");

        // the endpoint a rule uses stays; the rule goes with its history
        assertError(api.send("DELETE", "api/v1/registries/" + registry, null, ADMIN), 409, "CONFLICT");
        assertEquals(204, api.send("DELETE", RULES + "/" + name, null, ADMIN).statusCode());
        assertError(api.get(EXECUTIONS + "/" + again.getJsonNumber("id").longValue(), ADMIN), 404, "NOT_FOUND");
        assertEquals(204, api.send("DELETE", "api/v1/registries/" + registry, null, ADMIN).statusCode());
    }

    @Test
    void aPullRuleCopiesFromTheRegistryIntoALocalProject() throws Exception {
        String upstream = ContentFixture.unique("up");
        byte[] stable = image(remote, upstream + "/tool", "1.0");
        image(remote, upstream + "/tool", "1.0-rc"); // not in the tag filter
        image(remote, upstream + "/other", "1.0");
        String project = fx.project(false);

        String registry = endpoint(distribution.url().toString());
        String name = ContentFixture.unique("pull");
        // a glob: the repositories come from Distribution's paged catalog
        createRule("{\"name\":\"" + name + "\",\"direction\":\"pull\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + upstream + "/t*\",\"tag\":\"*.0\"},"
                + "\"destination\":{\"namespace\":\"" + project + "\",\"path\":\"replace\"}}");

        JsonObject done = await(start(name).getJsonNumber("id").longValue());
        assertEquals("succeeded", done.getString("status"), done.toString() + tasks(done.getJsonNumber("id").longValue(), null));
        assertEquals(1, count(done, "total"), done.toString());

        RegistryClient local = fx.registry();
        assertEquals(RegistryClient.sha256(stable), digestAt(local, project + "/tool", "1.0"));
        assertEquals(null, digestAt(local, project + "/tool", "1.0-rc"));
        assertEquals(null, digestAt(local, project + "/other", "1.0"));
        RegistryClient.Response pulled = local.getManifest(project + "/tool", "1.0", RegistryClient.OCI_MANIFEST);
        assertEquals(200, pulled.status());
        assertEquals(new String(stable, java.nio.charset.StandardCharsets.UTF_8), pulled.bodyText());
        // its layers are Berth's now, linked in the repository
        String layers = pulled.bodyText();
        for (String digest : layers.split("\"digest\":\"")) {
            if (digest.startsWith("sha256:")) {
                assertEquals(200, local.headBlob(project + "/tool", digest.substring(0, 71)).status());
            }
        }

        // a destination outside any project: the task fails and says why
        String orphan = ContentFixture.unique("pull");
        createRule("{\"name\":\"" + orphan + "\",\"direction\":\"pull\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + upstream + "/tool\",\"tag\":\"1.0\"},"
                + "\"destination\":{\"namespace\":\"" + ContentFixture.unique("noproject") + "\",\"path\":\"flatten\"}}");
        JsonObject refused = await(start(orphan).getJsonNumber("id").longValue());
        assertEquals("failed", refused.getString("status"));
        String error = tasks(refused.getJsonNumber("id").longValue(), "failed").get(0).getString("error");
        assertTrue(error.contains("does not exist"), error);
    }

    @Test
    void aDeadDestinationFailsTasksReadablyAndARetryRepeatsOnlyThose() throws Exception {
        String project = fx.project(false);
        String repository = project + "/svc";
        RegistryClient local = fx.registry();
        image(local, repository, "a");
        image(local, repository, "b");

        // the project's webhook is told of each ended execution (its target is down: the log shows the events)
        HttpResponse<String> webhook = api.send("POST", "api/v1/projects/" + project + "/webhooks", "{\"name\":\"ops\","
                + "\"url\":\"http://127.0.0.1:" + Distribution.freePort() + "/hook\","
                + "\"event_types\":[\"replication_done\",\"replication_failed\"]}", ADMIN);
        assertEquals(201, webhook.statusCode(), webhook.body());
        String deliveries = "api/v1/projects/" + project + "/webhooks/" + object(webhook).getJsonNumber("id") + "/deliveries";

        String registry = endpoint("http://127.0.0.1:" + Distribution.freePort());
        String name = ContentFixture.unique("dead");
        createRule("{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + repository + "\"}}");

        JsonObject failed = await(start(name).getJsonNumber("id").longValue());
        long failedId = failed.getJsonNumber("id").longValue();
        assertEquals("failed", failed.getString("status"), failed.toString());
        assertEquals(2, count(failed, "failed"), failed.toString());
        for (JsonObject task : tasks(failedId, "failed")) {
            String error = task.getString("error");
            assertTrue(error.contains("127.0.0.1"), error);
            assertFalse(error.contains("Exception") || error.contains("\tat "), error);
            assertEquals(JsonValue.NULL, task.get("reason"));
        }

        // a tag pushed since is not part of the retry: it repeats the failed tasks, it does not list again
        image(local, repository, "c");
        HttpResponse<String> moved = api.send("PATCH", "api/v1/registries/" + registry,
                "{\"url\":\"" + distribution.url() + "\"}", ADMIN);
        assertEquals(200, moved.statusCode(), moved.body());

        HttpResponse<String> retry = api.send("POST", EXECUTIONS + "/" + failedId + "/retry", "", ADMIN);
        assertEquals(202, retry.statusCode(), retry.body());
        JsonObject retried = await(object(retry).getJsonNumber("id").longValue());
        assertEquals("retry", retried.getString("trigger"));
        assertEquals(failedId, retried.getJsonNumber("retry_of").longValue());
        assertEquals("succeeded", retried.getString("status"), retried.toString());
        assertEquals(2, count(retried, "succeeded"), retried.toString());
        assertEquals(Set.of(repository + ":a", repository + ":b"), tasks(retried.getJsonNumber("id").longValue(), null).stream()
                .map(t -> t.getString("source")).collect(Collectors.toSet()));
        assertTrue(digestAt(remote, repository, "a") != null);
        assertEquals(null, digestAt(remote, repository, "c"));

        // the event follows the execution's end by a moment
        List<String> told = List.of();
        for (long until = System.nanoTime() + 10_000_000_000L; told.size() < 2 && System.nanoTime() < until; Thread.sleep(200)) {
            told = array(api.get(deliveries, ADMIN)).getValuesAs(JsonObject.class).stream()
                    .map(d -> d.getString("event_type")).toList();
        }
        assertEquals(List.of("replication_done", "replication_failed"), told, "newest first");

        assertError(api.send("POST", EXECUTIONS + "/" + retried.getJsonNumber("id").longValue() + "/retry", "", ADMIN),
                409, "CONFLICT");
        assertError(api.send("POST", EXECUTIONS + "/" + retried.getJsonNumber("id").longValue() + "/stop", "", ADMIN),
                409, "CONFLICT");
    }

    @Test
    void aPendingExecutionStopsAtOnceWhenAsked() throws Exception {
        String name = emptyPushRule("stop");
        long id = start(name).getJsonNumber("id").longValue();
        HttpResponse<String> stop = api.send("POST", EXECUTIONS + "/" + id + "/stop", "", ADMIN);
        if (stop.statusCode() == 202) {
            JsonObject ended = await(id);
            // stopped while pending or running; or it had nothing to do and ended first
            assertTrue(Set.of("stopped", "succeeded").contains(ended.getString("status")), ended.toString());
        } else {
            assertError(stop, 409, "CONFLICT"); // it ended (nothing to copy) before the stop came
        }
    }

    /** A rule keeps the history of its newest 50 executions: older ones go when a run of the rule ends. */
    @Test
    void aRuleKeepsTheHistoryOfItsNewestFiftyExecutions() throws Exception {
        String name = emptyPushRule("history");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 54; i++) {
            long id = start(name).getJsonNumber("id").longValue();
            // stopped at once while pending (no run, so no pruning yet), or it ran and ended
            HttpResponse<String> stop = api.send("POST", EXECUTIONS + "/" + id + "/stop", "", ADMIN);
            if (stop.statusCode() != 202 || !"stopped".equals(object(stop).getString("status"))) {
                assertTrue(Set.of("stopped", "succeeded").contains(await(id).getString("status")));
            }
            ids.add(id);
        }
        long last = start(name).getJsonNumber("id").longValue();
        assertEquals("succeeded", await(last).getString("status"));
        ids.add(last);

        HttpResponse<String> history = api.get(EXECUTIONS + "?rule=" + name + "&page_size=100", ADMIN);
        assertEquals(200, history.statusCode(), history.body());
        assertEquals("50", history.headers().firstValue("X-Total-Count").orElseThrow(), history.body());
        List<Long> kept = array(history).getValuesAs(JsonObject.class).stream()
                .map(e -> e.getJsonNumber("id").longValue()).toList();
        List<Long> newest = new ArrayList<>(ids.subList(ids.size() - 50, ids.size()));
        newest.sort(Comparator.reverseOrder());
        assertEquals(newest, kept, "the newest 50, newest first");
        assertEquals(404, api.get(EXECUTIONS + "/" + ids.get(0), ADMIN).statusCode(), "the oldest is gone with its tasks");
    }

    @Test
    void simultaneousStartsOfARuleRunOneExecutionAtATime() throws Exception {
        String name = emptyPushRule("race");
        int starts = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < starts; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return api.send("POST", RULES + "/" + name + "/executions", "", ADMIN);
                }));
            }
            go.countDown();
            int started = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 202) {
                    started++;
                    await(object(r).getJsonNumber("id").longValue());
                } else {
                    assertError(r, 409, "CONFLICT");
                }
            }
            assertTrue(started >= 1, "one of the starts runs");
        } finally {
            pool.shutdownNow();
        }
        // a start that came after an execution ended may run too; never two at once
        HttpResponse<String> r = api.get(EXECUTIONS + "?rule=" + name + "&page_size=100", ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        List<JsonObject> executions = new ArrayList<>(array(r).getValuesAs(JsonObject.class));
        executions.sort(Comparator.comparingLong(e -> e.getJsonNumber("id").longValue()));
        for (int i = 1; i < executions.size(); i++) {
            Instant ended = Instant.parse(executions.get(i - 1).getString("finished_at"));
            Instant began = Instant.parse(executions.get(i).getString("created_at"));
            assertFalse(began.isBefore(ended), "two executions of one rule at once: " + executions);
        }
    }

    @Test
    void progressShowsWhileACappedExecutionRunsAndAStopCutsTheLayerShort() throws Exception {
        String project = fx.project(false);
        String repository = project + "/big";
        RegistryClient local = fx.registry();
        for (String tag : List.of("a", "b", "c")) {
            fx.push(local, repository, tag, ContentFixture.config("linux", "amd64", tag + "-" + UUID.randomUUID()),
                    List.of(fx.randomBytes(1024 * 1024)));
        }
        String registry = endpoint(distribution.url().toString());
        String name = ContentFixture.unique("slow");
        // 128 KiB/s: each 1 MiB layer takes eight seconds
        createRule("{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + repository + "\"},\"bandwidth_kbps\":128}");
        long id = start(name).getJsonNumber("id").longValue();

        JsonObject midway = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (midway == null && System.nanoTime() < deadline) {
            JsonObject now = object(api.get(EXECUTIONS + "/" + id, ADMIN));
            long done = now.getJsonNumber("bytes_done").longValue();
            // within the first task: its config is through, its layer is going
            if (now.getString("status").equals("running") && count(now, "running") == 1 && count(now, "succeeded") == 0
                    && done > 0 && done < now.getJsonNumber("bytes_total").longValue()) {
                midway = now;
            }
            assertFalse(Set.of("succeeded", "failed").contains(now.getString("status")), "ended before it was seen midway: " + now);
            Thread.sleep(100);
        }
        assertNotNull(midway, "the execution's progress was never seen midway");
        assertEquals(3, count(midway, "total"), midway.toString());
        assertEquals(JsonValue.NULL, midway.get("finished_at"));
        double seconds = Duration.between(Instant.parse(midway.getString("started_at")), Instant.now()).toMillis() / 1000.0;
        assertTrue(midway.getJsonNumber("bytes_done").longValue() <= 128 * 1024 * (seconds + 1) + 4096,
                "the cap held: " + midway + " after " + seconds + " s");

        long stoppedAt = System.nanoTime();
        HttpResponse<String> stop = api.send("POST", EXECUTIONS + "/" + id + "/stop", "", ADMIN);
        assertEquals(202, stop.statusCode(), stop.body());
        assertTrue(object(stop).getBoolean("stop_requested"));
        JsonObject stopped = await(id);
        assertEquals("stopped", stopped.getString("status"), stopped.toString());
        assertEquals(0, count(stopped, "succeeded"), "the layer under way did not run to its end: " + stopped);
        assertEquals(2, count(stopped, "pending"), "the tasks after the stop were not begun: " + stopped);
        List<JsonObject> cut = tasks(id, "failed");
        assertEquals(1, cut.size(), cut.toString());
        assertTrue(cut.get(0).getString("error").startsWith("stopped by request while the layer"), cut.toString());
        assertTrue(System.nanoTime() - stoppedAt < 7_000_000_000L, "stopped within seconds, not after the layer");

        // without the cap, a retry copies the cut task and the two never begun
        HttpResponse<String> uncapped = api.send("PATCH", RULES + "/" + name, "{\"bandwidth_kbps\":0}", ADMIN);
        assertEquals(200, uncapped.statusCode(), uncapped.body());
        HttpResponse<String> retry = api.send("POST", EXECUTIONS + "/" + id + "/retry", "", ADMIN);
        assertEquals(202, retry.statusCode(), retry.body());
        JsonObject retried = await(object(retry).getJsonNumber("id").longValue());
        assertEquals("succeeded", retried.getString("status"), retried.toString());
        assertEquals(3, count(retried, "succeeded"), retried.toString());
        for (String tag : List.of("a", "b", "c")) {
            assertEquals(digestAt(local, repository, tag), digestAt(remote, repository, tag), "tag " + tag);
        }
    }

    @Test
    void anEventRuleCopiesEachPushAndDeletesWhatIsDeleted() throws Exception {
        String project = fx.project(false);
        String repository = project + "/events";
        String registry = endpoint(distribution.url().toString());
        String name = ContentFixture.unique("event");
        createRule("{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\","
                + "\"filters\":{\"repository\":\"" + project + "/**\",\"tag\":\"v*\"},"
                + "\"trigger\":{\"type\":\"event\"},\"replicate_deletion\":true}");
        RegistryClient local = fx.registry();

        String digest = RegistryClient.sha256(image(local, repository, "v1"));
        image(local, repository, "nightly"); // not in the tag filter: no execution
        JsonObject copied = awaitEvent(name, 1);
        assertEquals("event", copied.getString("trigger"));
        assertEquals("succeeded", copied.getString("status"), copied.toString());
        assertEquals(repository + ":v1", tasks(copied.getJsonNumber("id").longValue(), null).get(0).getString("source"));
        assertEquals(digest, digestAt(remote, repository, "v1"));

        assertEquals(202, local.deleteManifest(repository, digest).status());
        JsonObject deleted = awaitEvent(name, 2);
        assertEquals("succeeded", deleted.getString("status"), deleted.toString());
        JsonObject task = tasks(deleted.getJsonNumber("id").longValue(), null).get(0);
        assertEquals("delete", task.getString("operation"));
        assertEquals(null, digestAt(remote, repository, digest), "deleted at the destination too");

        // a whole repository deleted: a deletion per artifact the tag filter selects ("nightly"
        // was never copied), none for an index's children
        String v2 = RegistryClient.sha256(image(local, repository, "v2"));
        assertEquals("succeeded", awaitEvent(name, 3).getString("status"));
        byte[] amd64 = child(local, repository, "amd64");
        byte[] index = ContentFixture.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":["
                + manifestDescriptor(amd64, "amd64") + "]}");
        assertEquals(201, local.putManifest(repository, "v3", RegistryClient.OCI_INDEX, index).status());
        assertEquals("succeeded", awaitEvent(name, 4).getString("status"));
        String v3 = RegistryClient.sha256(index);
        assertEquals(v2, digestAt(remote, repository, "v2"));
        assertEquals(v3, digestAt(remote, repository, "v3"));
        assertEquals(204, api.send("DELETE", "api/v1/repositories/" + repository, null, ADMIN).statusCode());
        awaitEvent(name, 6);
        HttpResponse<String> executions = api.get(EXECUTIONS + "?rule=" + name + "&page_size=2", ADMIN);
        assertEquals(200, executions.statusCode(), executions.body());
        Set<String> deletedSources = new java.util.HashSet<>();
        for (JsonObject execution : array(executions).getValuesAs(JsonObject.class)) {
            JsonObject ended = await(execution.getJsonNumber("id").longValue());
            assertEquals("succeeded", ended.getString("status"), ended.toString());
            JsonObject deletion = tasks(ended.getJsonNumber("id").longValue(), null).get(0);
            assertEquals("delete", deletion.getString("operation"), deletion.toString());
            deletedSources.add(deletion.getString("source"));
        }
        assertEquals(Set.of(repository + "@" + v2, repository + "@" + v3), deletedSources);
        assertEquals(null, digestAt(remote, repository, v2), "the image deleted at the destination");
        assertEquals(null, digestAt(remote, repository, v3), "the index deleted at the destination");
        assertEquals(RegistryClient.sha256(amd64), digestAt(remote, repository, RegistryClient.sha256(amd64)),
                "an index's child is no artifact of its own: Distribution keeps it until its garbage collection");
    }

    /** Waits until the rule has {@code n} executions and the newest ended; returns it. */
    private JsonObject awaitEvent(String rule, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = api.get(EXECUTIONS + "?rule=" + rule, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            if (Long.parseLong(r.headers().firstValue("X-Total-Count").orElseThrow()) >= n) {
                assertEquals(n, Long.parseLong(r.headers().firstValue("X-Total-Count").orElseThrow()), r.body());
                return await(array(r).getJsonObject(0).getJsonNumber("id").longValue());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("rule " + rule + " did not get " + n + " executions");
    }

    @Test
    void onlySystemAdministratorsMayReplicate() {
        String user = fx.user(ContentFixture.unique("u"));
        for (String[] call : new String[][] {{"GET", RULES}, {"POST", RULES}, {"GET", EXECUTIONS},
                {"GET", RULES + "/x"}, {"POST", RULES + "/x/executions"}, {"POST", EXECUTIONS + "/1/retry"}}) {
            assertError(api.send(call[0], call[1], call[0].equals("POST") ? "{}" : null, null), 401, "UNAUTHORIZED");
            assertError(api.send(call[0], call[1], call[0].equals("POST") ? "{}" : null, user), 403, "DENIED");
        }
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        String registry = endpoint(distribution.url().toString());
        String name = ContentFixture.unique("bad");
        Map<String, String> refusals = Map.of(
                "{\"name\":\"Bad Name\",\"direction\":\"push\",\"registry\":\"" + registry + "\"}", "'name'",
                "{\"name\":\"" + name + "\",\"direction\":\"sideways\",\"registry\":\"" + registry + "\"}", "'direction'",
                "{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"nowhere\"}", "nowhere",
                "{\"name\":\"" + name + "\",\"direction\":\"pull\",\"registry\":\"" + registry + "\",\"trigger\":{\"type\":\"event\"}}",
                "push rules only",
                "{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry
                        + "\",\"trigger\":{\"type\":\"cron\",\"cron\":\"99 * * * *\"}}", "trigger.cron",
                "{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry
                        + "\",\"destination\":{\"path\":\"flatten\"}}", "namespace",
                "{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\",\"colour\":\"red\"}", "'colour'",
                "{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\",\"bandwidth_kbps\":-5}",
                "bandwidth_kbps",
                "not json", "JSON");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> r = api.send("POST", RULES, refusal.getKey(), ADMIN);
            assertError(r, 400, "INVALID_REQUEST");
            assertTrue(AdminClient.errorMessage(r).contains(refusal.getValue()), refusal.getKey() + " -> " + r.body());
        }

        createRule("{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\"" + registry + "\","
                + "\"trigger\":{\"type\":\"cron\",\"cron\":\"0 3 * * *\"}}");
        assertError(api.send("POST", RULES, "{\"name\":\"" + name + "\",\"direction\":\"push\",\"registry\":\""
                + registry + "\"}", ADMIN), 409, "CONFLICT");
        // a change is validated as a new rule is, nested objects field by field
        HttpResponse<String> patched = api.send("PATCH", RULES + "/" + name,
                "{\"description\":\"nightly\",\"trigger\":{\"cron\":\"30 2 * * *\"},\"bandwidth_kbps\":512}", ADMIN);
        assertEquals(200, patched.statusCode(), patched.body());
        JsonObject rule = object(patched);
        assertEquals("nightly", rule.getString("description"));
        assertEquals("cron", rule.getJsonObject("trigger").getString("type"));
        assertEquals("30 2 * * *", rule.getJsonObject("trigger").getString("cron"));
        assertEquals(512, rule.getInt("bandwidth_kbps"));
        assertError(api.send("PATCH", RULES + "/" + name, "{\"trigger\":{\"cron\":\"bad\"}}", ADMIN), 400, "INVALID_REQUEST");
        assertError(api.send("PATCH", RULES + "/" + name, "{\"name\":\"other\"}", ADMIN), 400, "INVALID_REQUEST");
        assertError(api.get(RULES + "/" + ContentFixture.unique("none"), ADMIN), 404, "NOT_FOUND");
        assertError(api.get(EXECUTIONS + "/999999999", ADMIN), 404, "NOT_FOUND");
        assertError(api.get(EXECUTIONS + "/1/tasks?status=odd", ADMIN), 400, "INVALID_REQUEST");
        assertError(api.get(RULES + "?page_size=1000", ADMIN), 400, "INVALID_REQUEST");
        assertEquals(204, api.send("DELETE", RULES + "/" + name, null, ADMIN).statusCode());
    }
}
