package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.array;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.berth.support.ServerLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against the deployed WAR (issue 21): a receiver on loopback inside the test (the JDK's
 * HttpServer) checks the signature, headers and payload of pushes, pulls, tag and artifact
 * deletions and quota refusals; a receiver that fails twice gets the event at the third attempt
 * (the build shortens the backoff: BERTH_WEBHOOK_BACKOFF_BASE); a receiver that hangs slows
 * neither a loop of pushes nor another webhook; the rights are the project administrators'; the
 * secret is shown once and the Authorization header never, in no answer and not in the server log.
 */
class WebhookIT extends ITBase {

    private static final long WAIT_MILLIS = 40_000;

    /** One request the receiver got. */
    private record Received(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        JsonObject json() {
            return Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
        }
    }

    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Per path: how many requests came, for the scripted answers. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final CountDownLatch releaseHanging = new CountDownLatch(1);
    private final AtomicInteger hangingNow = new AtomicInteger();
    private final AtomicInteger hangingMost = new AtomicInteger();

    private ContentFixture fx;
    private AdminClient api;
    private ServerLog serverLog;
    private final List<HttpResponse<String>> seen = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        fx = new ContentFixture(base());
        api = fx.api;
        serverLog = ServerLog.capture();
        receiverThreads = Executors.newCachedThreadPool();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/", this::handle);
        receiver.start();
    }

    @AfterEach
    void stop() {
        releaseHanging.countDown();
        receiver.stop(0);
        receiverThreads.shutdownNow();
        serverLog.close();
    }

    /** {@code /ok/...}: 200; {@code /flaky/...}: 500 twice, then 200; {@code /hang/...}: no answer until the test ends. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body));
            int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status = 200;
            if (path.startsWith("/flaky/") && n <= 2) {
                status = 500;
            } else if (path.startsWith("/hang/")) {
                hangingMost.accumulateAndGet(hangingNow.incrementAndGet(), Math::max);
                try {
                    releaseHanging.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    hangingNow.decrementAndGet();
                }
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private String target(String kind) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/" + kind + "/" + ContentFixture.unique("h");
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) {
        HttpResponse<String> r = api.send(method, path, body, authorization);
        seen.add(r);
        return r;
    }

    private static String hooks(String project) {
        return "api/v1/projects/" + project + "/webhooks";
    }

    /** Creates a webhook; returns its view with the secret. */
    private JsonObject create(String project, String url, String types, String format, String authHeader) {
        HttpResponse<String> r = send("POST", hooks(project), "{\"name\":\"" + ContentFixture.unique("w") + "\",\"url\":\""
                + url + "\",\"event_types\":[" + types + "],\"format\":\"" + format + "\""
                + (authHeader == null ? "" : ",\"auth_header\":\"" + authHeader + "\"") + "}", ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return object(r);
    }

    private List<Received> at(String url) {
        String path = url.substring(url.indexOf('/', "http://".length()));
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private Received await(String url, Predicate<Received> wanted, String what) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            for (Received r : at(url)) {
                if (wanted.test(r)) {
                    return r;
                }
            }
            sleep(100);
        }
        return fail("no " + what + " at " + url + " within " + WAIT_MILLIS + " ms; got " + at(url).stream()
                .map(r -> r.header("X-Berth-Event-Type") + "#" + r.header("X-Berth-Delivery-Attempt")).toList());
    }

    private static Predicate<Received> type(String type) {
        return r -> type.equals(r.header("X-Berth-Event-Type"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** HMAC-SHA256 written here again, independent of Berth's code. */
    private static void assertSigned(Received r, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body()));
            assertTrue(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    r.header("X-Berth-Signature").getBytes(StandardCharsets.US_ASCII)), "signature of " + r.header("X-Berth-Event-Type"));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private void assertNeverShown(String text) {
        assertFalse(serverLog.text().contains(text), "the server logged it");
        for (HttpResponse<String> r : seen) {
            assertFalse(r.body().contains(text), r.request().method() + " " + r.uri() + ": " + r.body());
            assertFalse(r.headers().map().toString().contains(text), r.headers().toString());
        }
    }

    @Test
    void pushesPullsAndDeletionsArriveSignedInBothFormats() {
        String p = fx.project(false);
        String repo = p + "/app";
        String auth = "Bearer " + ContentFixture.unique("tok");
        String harborUrl = target("ok");
        JsonObject harbor = create(p, harborUrl, "\"push_artifact\",\"pull_artifact\",\"delete_tag\",\"delete_artifact\"",
                "harbor", auth);
        String secret = harbor.getString("secret");
        assertEquals(43, secret.length());
        assertTrue(harbor.getBoolean("has_auth_header"));
        assertFalse(harbor.toString().contains(auth));
        assertEquals(Set.of("id", "name", "url", "event_types", "has_auth_header", "verify_tls", "format", "enabled",
                "created_at", "secret"), harbor.keySet());
        String ceUrl = target("ok");
        JsonObject ce = create(p, ceUrl, "\"push_artifact\"", "cloudevents", null);
        String ceSecret = ce.getString("secret");
        String one = hooks(p) + "/" + harbor.getJsonNumber("id").longValue();

        // reads show neither the secret nor the header
        HttpResponse<String> read = send("GET", one, null, ADMIN);
        assertEquals(200, read.statusCode(), read.body());
        assertFalse(object(read).containsKey("secret"));
        assertFalse(read.body().contains(secret));
        HttpResponse<String> list = send("GET", hooks(p) + "?page_size=10", null, ADMIN);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals("2", list.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(2, array(list).size());
        assertFalse(list.body().contains(secret) || list.body().contains(ceSecret));

        // push
        String digest = fx.pushImage(repo, "v1");
        Received push = await(harborUrl, type("push_artifact"), "push");
        assertSigned(push, secret);
        assertEquals("application/json", push.header("Content-Type"));
        assertEquals("1", push.header("X-Berth-Delivery-Attempt"));
        assertEquals(auth, push.header("Authorization"));
        assertNotNull(push.header("X-Berth-Event-Id"));
        JsonObject body = push.json();
        assertEquals("PUSH_ARTIFACT", body.getString("type"));
        assertEquals("admin", body.getString("operator"));
        assertTrue(body.getJsonNumber("occur_at").longValue() > 1_700_000_000L);
        JsonObject resource = body.getJsonObject("event_data").getJsonArray("resources").getJsonObject(0);
        assertEquals(digest, resource.getString("digest"));
        assertEquals("v1", resource.getString("tag"));
        assertTrue(resource.getString("resource_url").endsWith(repo + ":v1"), resource.toString());
        JsonObject repository = body.getJsonObject("event_data").getJsonObject("repository");
        assertEquals("app", repository.getString("name"));
        assertEquals(p, repository.getString("namespace"));
        assertEquals(repo, repository.getString("repo_full_name"));
        assertEquals("private", repository.getString("repo_type"));

        Received cloud = await(ceUrl, type("push_artifact"), "CloudEvents push");
        assertSigned(cloud, ceSecret);
        assertEquals("application/cloudevents+json", cloud.header("Content-Type"));
        assertEquals(null, cloud.header("Authorization"));
        JsonObject event = cloud.json();
        assertEquals("1.0", event.getString("specversion"));
        assertEquals(push.header("X-Berth-Event-Id"), event.getString("id"), "one event, one id for every webhook");
        assertEquals("/projects/" + p, event.getString("source"));
        assertEquals("org.berth.artifact.pushed", event.getString("type"));
        assertEquals(repo + ":v1", event.getString("subject"));
        assertEquals("application/json", event.getString("datacontenttype"));
        assertEquals(digest, event.getJsonObject("data").getString("digest"));
        assertEquals(RegistryClient.OCI_MANIFEST, event.getJsonObject("data").getString("media_type"));

        // pull (a GET; a HEAD is none)
        RegistryClient registry = fx.registry();
        assertEquals(200, registry.headManifest(repo, "v1", RegistryClient.OCI_MANIFEST).status());
        assertEquals(200, registry.getManifest(repo, "v1", RegistryClient.OCI_MANIFEST).status());
        Received pull = await(harborUrl, type("pull_artifact"), "pull");
        assertSigned(pull, secret);
        assertEquals("PULL_ARTIFACT", pull.json().getString("type"));
        assertEquals(1, at(harborUrl).stream().filter(type("pull_artifact")).count(), "the HEAD is no pull");

        // a tag deleted through the API, an artifact through /v2
        HttpResponse<String> untag = send("DELETE", "api/v1/repositories/" + repo + "/tags/v1", null, ADMIN);
        assertEquals(204, untag.statusCode(), untag.body());
        Received tagDeleted = await(harborUrl, type("delete_tag"), "tag deletion");
        assertSigned(tagDeleted, secret);
        JsonObject deletedTag = tagDeleted.json().getJsonObject("event_data").getJsonArray("resources").getJsonObject(0);
        assertEquals("v1", deletedTag.getString("tag"));
        assertEquals(digest, deletedTag.getString("digest"));
        assertEquals(202, registry.deleteManifest(repo, digest).status());
        Received artifactDeleted = await(harborUrl, type("delete_artifact"), "artifact deletion");
        assertSigned(artifactDeleted, secret);
        assertEquals("DELETE_ARTIFACT", artifactDeleted.json().getString("type"));
        assertEquals(digest, artifactDeleted.json().getJsonObject("event_data").getJsonArray("resources")
                .getJsonObject(0).getString("digest"));

        // the delivery log, newest first; a redelivery sends the same event again
        HttpResponse<String> log = send("GET", one + "/deliveries?page_size=10", null, ADMIN);
        assertEquals(200, log.statusCode(), log.body());
        List<JsonObject> deliveries = array(log).getValuesAs(JsonObject.class);
        assertEquals(4, deliveries.size(), log.body());
        assertEquals("delete_artifact", deliveries.get(0).getString("event_type"), log.body());
        for (JsonObject d : deliveries) {
            assertEquals("delivered", d.getString("state"), log.body());
            assertEquals(200, d.getInt("response_code"), log.body());
            assertEquals(1, d.getInt("attempts"), log.body());
        }
        JsonObject pushDelivery = deliveries.get(3);
        assertEquals(push.header("X-Berth-Event-Id"), pushDelivery.getString("event_id"));
        assertEquals(202, send("POST", one + "/deliveries/" + pushDelivery.getJsonNumber("id") + "/redeliver", null, ADMIN)
                .statusCode());
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (at(harborUrl).stream().filter(type("push_artifact")).count() < 2 && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        List<Received> pushes = at(harborUrl).stream().filter(type("push_artifact")).toList();
        assertEquals(2, pushes.size());
        assertEquals(pushes.get(0).header("X-Berth-Event-Id"), pushes.get(1).header("X-Berth-Event-Id"), "the same event");
        assertSigned(pushes.get(1), secret);

        // a rotated secret signs from then on; the old one no longer does
        HttpResponse<String> rotated = send("POST", one + "/secret", null, ADMIN);
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertTrue(rotated.headers().firstValue("Cache-Control").orElse("").contains("no-store"), rotated.headers().toString());
        String newSecret = object(rotated).getString("secret");
        assertFalse(newSecret.equals(secret));
        fx.pushImage(repo, "v2");
        Received second = await(harborUrl, r -> type("push_artifact").test(r)
                && r.json().toString().contains("\"v2\""), "push of v2");
        assertSigned(second, newSecret);

        // the header is never shown nor logged; the secrets appear in their one answer only
        seen.add(api.get("api/v1/audit-logs?operation=webhook_create&page_size=100", ADMIN));
        seen.add(api.get(one + "/deliveries", ADMIN));
        assertNeverShown(auth);
        assertNeverShown(auth.substring("Bearer ".length()));
        assertFalse(serverLog.text().contains(secret), "the server logged the secret");
    }

    @Test
    void aRepositoryDeletionRaisesOneArtifactDeletionPerArtifactButNotForAnIndexsChildren() {
        String p = fx.project(false);
        String repo = p + "/gone";
        String url = target("ok");
        JsonObject hook = create(p, url, "\"delete_artifact\"", "cloudevents", null);
        String secret = hook.getString("secret");
        RegistryClient registry = fx.registry();

        // an image under two tags, an index of two children, and a referrer of the image
        byte[] image = fx.push(registry, repo, "v1", ContentFixture.config("linux", "amd64", ContentFixture.unique("img")),
                List.of(fx.randomBytes(300)));
        String imageDigest = RegistryClient.sha256(image);
        assertEquals(201, registry.putManifest(repo, "v2", RegistryClient.OCI_MANIFEST, image).status());
        StringBuilder children = new StringBuilder();
        for (String architecture : List.of("amd64", "arm64")) {
            byte[] config = ContentFixture.config("linux", architecture, ContentFixture.unique(architecture));
            byte[] layer = fx.randomBytes(200);
            fx.blob(registry, repo, config);
            fx.blob(registry, repo, layer);
            byte[] child = ContentFixture.manifest(config, List.of(layer), null);
            assertEquals(201, registry.putManifest(repo, RegistryClient.sha256(child), RegistryClient.OCI_MANIFEST, child).status());
            children.append(children.length() == 0 ? "" : ",").append(ContentFixture.descriptor(RegistryClient.OCI_MANIFEST, child));
        }
        byte[] index = ContentFixture.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX
                + "\",\"manifests\":[" + children + "]}");
        assertEquals(201, registry.putManifest(repo, "multi", RegistryClient.OCI_INDEX, index).status());
        byte[] signatureConfig = ContentFixture.config("linux", "amd64", ContentFixture.unique("sig"));
        byte[] signature = fx.randomBytes(100);
        fx.blob(registry, repo, signatureConfig);
        fx.blob(registry, repo, signature);
        byte[] referrer = ContentFixture.manifest(signatureConfig, List.of(signature),
                ContentFixture.descriptor(RegistryClient.OCI_MANIFEST, image));
        String referrerDigest = RegistryClient.sha256(referrer);
        assertEquals(201, registry.putManifest(repo, referrerDigest, RegistryClient.OCI_MANIFEST, referrer).status());

        assertEquals(204, send("DELETE", "api/v1/repositories/" + repo, null, ADMIN).statusCode());
        // written with the deletion: three events (image, index, referrer), none for the index's children
        HttpResponse<String> log = send("GET", hooks(p) + "/" + hook.getJsonNumber("id").longValue() + "/deliveries?page_size=10",
                null, ADMIN);
        assertEquals(200, log.statusCode(), log.body());
        assertEquals(3, array(log).size(), log.body());
        Map<String, List<String>> tagsByDigest = new ConcurrentHashMap<>();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (tagsByDigest.size() < 3 && System.currentTimeMillis() < deadline) {
            for (Received r : at(url)) {
                assertSigned(r, secret);
                assertEquals("org.berth.artifact.deleted", r.json().getString("type"));
                JsonObject data = r.json().getJsonObject("data");
                assertEquals(repo, data.getString("repository"));
                tagsByDigest.put(data.getString("digest"), data.getJsonArray("tags").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString).sorted().toList());
            }
            sleep(100);
        }
        assertEquals(Map.of(imageDigest, List.of("v1", "v2"), RegistryClient.sha256(index), List.of("multi"),
                referrerDigest, List.of()), tagsByDigest);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventAtTheThirdAttempt() {
        String p = fx.project(true);
        String url = target("flaky");
        JsonObject hook = create(p, url, "\"push_artifact\"", "harbor", null);
        fx.pushImage(p + "/app", "1");
        Received third = await(url, r -> "3".equals(r.header("X-Berth-Delivery-Attempt")), "third attempt");
        assertSigned(third, hook.getString("secret"));
        List<Received> all = at(url);
        assertEquals(3, all.size(), "500, 500, then 200: no more attempts");
        assertEquals(1, all.stream().map(r -> r.header("X-Berth-Event-Id")).distinct().count(), "one event");
        assertEquals(List.of("1", "2", "3"), all.stream().map(r -> r.header("X-Berth-Delivery-Attempt")).toList());
        String deliveries = hooks(p) + "/" + hook.getJsonNumber("id") + "/deliveries";
        long deadline = System.currentTimeMillis() + 10_000;
        JsonObject d;
        do {
            d = array(api.get(deliveries, ADMIN)).getJsonObject(0);
            sleep(100);
        } while (!d.getString("state").equals("delivered") && System.currentTimeMillis() < deadline);
        assertEquals("delivered", d.getString("state"), d.toString());
        assertEquals(3, d.getInt("attempts"));
        assertEquals(200, d.getInt("response_code"));
        sleep(1_500);
        assertEquals(3, at(url).size(), "nothing sent after the success");
    }

    @Test
    void aHangingTargetSlowsNeitherPushesNorAnotherWebhook() {
        int n = 8;
        String quiet = fx.project(true);
        fx.pushImage(quiet + "/warm", "0");
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fx.pushImage(quiet + "/app", "t" + i);
        }
        long without = (System.nanoTime() - start) / 1_000_000;

        String p = fx.project(true);
        String hanging = target("hang");
        String healthy = target("ok");
        create(p, hanging, "\"push_artifact\"", "harbor", null);
        create(p, healthy, "\"push_artifact\"", "cloudevents", null);
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fx.pushImage(p + "/app", "t" + i);
        }
        long with = (System.nanoTime() - start) / 1_000_000;
        assertTrue(with < 2 * without + 2_000, "pushes with a hanging webhook took " + with + " ms, without " + without + " ms");

        // the healthy webhook gets every push while the other hangs
        long deadline = System.currentTimeMillis() + 20_000;
        while (at(healthy).size() < n && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        assertEquals(n, at(healthy).size(), "the healthy webhook got every push");
        assertTrue(at(hanging).size() >= 1, "the hanging webhook was tried");
        assertTrue(hangingMost.get() <= 2, "at most two deliveries in flight to one webhook: " + hangingMost.get());
    }

    @Test
    void aPushRefusedByTheQuotaRaisesQuotaExceededAndNoPush() {
        String p = fx.project(false);
        String url = target("ok");
        JsonObject hook = create(p, url, "\"push_artifact\",\"quota_exceeded\"", "cloudevents", null);
        HttpResponse<String> quota = send("PUT", "api/v1/projects/" + p + "/quota", "{\"limit_bytes\":100}", ADMIN);
        assertEquals(200, quota.statusCode(), quota.body());
        RegistryClient registry = fx.registry();
        byte[] layer = fx.randomBytes(400);
        RegistryClient.Response refused = registry.uploadBlob(p + "/app", RegistryClient.sha256(layer), layer);
        assertFalse(refused.is2xx(), refused.toString());
        Received exceeded = await(url, type("quota_exceeded"), "quota event");
        assertSigned(exceeded, hook.getString("secret"));
        JsonObject event = exceeded.json();
        assertEquals("org.berth.quota.exceeded", event.getString("type"));
        assertEquals(100, event.getJsonObject("data").getInt("limit_bytes"));
        sleep(2_000);
        assertEquals(0, at(url).stream().filter(type("push_artifact")).count(), "a refused change raises no event");
    }

    @Test
    void onlyProjectAdministratorsManageWebhooks() {
        String p = fx.project(false);
        JsonObject hook = create(p, target("ok"), "\"push_artifact\"", "harbor", null);
        String one = hooks(p) + "/" + hook.getJsonNumber("id");
        String guest = fx.member(p, "guest");
        String developer = fx.member(p, "developer");
        String maintainer = fx.member(p, "maintainer");
        String outsider = fx.user(ContentFixture.unique("o"));
        String body = "{\"name\":\"x\",\"url\":\"http://127.0.0.1:1/x\",\"event_types\":[\"push_artifact\"]}";
        List<String[]> routes = List.of(
                new String[] {"GET", hooks(p), null},
                new String[] {"POST", hooks(p), body},
                new String[] {"GET", one, null},
                new String[] {"PATCH", one, "{\"enabled\":false}"},
                new String[] {"DELETE", one, null},
                new String[] {"POST", one + "/secret", null},
                new String[] {"GET", one + "/deliveries", null},
                new String[] {"POST", one + "/deliveries/1/redeliver", null});
        for (String[] route : routes) {
            for (String member : new String[] {guest, developer, maintainer}) {
                HttpResponse<String> r = send(route[0], route[1], route[2], member);
                assertEquals(403, r.statusCode(), route[0] + " " + route[1] + ": " + r.body());
                assertEquals("DENIED", errorCode(r));
            }
            assertEquals(404, send(route[0], route[1], route[2], outsider).statusCode(), "outsider " + route[0] + " " + route[1]);
            assertEquals(401, send(route[0], route[1], route[2], null).statusCode(), "anonymous " + route[0] + " " + route[1]);
        }
        // a project administrator who is no system administrator may
        String owner = fx.member(p, "project_admin");
        HttpResponse<String> created = send("POST", hooks(p), body, owner);
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> patched = send("PATCH", one, "{\"enabled\":false,\"auth_header\":\"Bearer zz\"}", owner);
        assertEquals(200, patched.statusCode(), patched.body());
        assertFalse(object(patched).getBoolean("enabled"));
        assertTrue(object(patched).getBoolean("has_auth_header"));
        HttpResponse<String> cleared = send("PATCH", one, "{\"auth_header\":null}", owner);
        assertFalse(object(cleared).getBoolean("has_auth_header"), cleared.body());
        assertEquals(204, send("DELETE", one, null, owner).statusCode());
        assertEquals(404, send("GET", one, null, owner).statusCode());
        // each change is audited under the project
        api.awaitEntry("api/v1/projects/" + p + "/audit-logs?page_size=100", ADMIN,
                e -> e.getString("operation").equals("webhook_delete"), "webhook_delete");
    }

    @Test
    void badInputIsRefusedAndEveryListHasACap() {
        String p = fx.project(false);
        String[] bad = {
            "{\"name\":\"a\",\"url\":\"http://user:pw@127.0.0.1/x\",\"event_types\":[\"push_artifact\"]}",
            "{\"name\":\"a\",\"url\":\"ftp://127.0.0.1/x\",\"event_types\":[\"push_artifact\"]}",
            "{\"name\":\"a\",\"url\":\"http://127.0.0.1/x\",\"event_types\":[]}",
            "{\"name\":\"a\",\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"push\"]}",
            "{\"name\":\"a\",\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"push_artifact\"],\"format\":\"xml\"}",
            "{\"name\":\"a b\",\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"push_artifact\"]}",
            "{\"name\":\"a\",\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"push_artifact\"],\"secret\":\"mine\"}",
            "{\"name\":\"a\",\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"push_artifact\"],\"auth_header\":\"a\\r\\nb: c\"}",
        };
        for (String body : bad) {
            HttpResponse<String> r = send("POST", hooks(p), body, ADMIN);
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertFalse(r.body().contains("pw@"), "the URL's credentials are not echoed");
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = send("POST", hooks(p), "{\"name\":\"h" + i + "\",\"url\":\"http://127.0.0.1:1/x\","
                    + "\"event_types\":[\"push_artifact\"],\"enabled\":false}", ADMIN);
            assertEquals(201, r.statusCode(), r.body());
        }
        HttpResponse<String> full = send("POST", hooks(p), "{\"name\":\"h20\",\"url\":\"http://127.0.0.1:1/x\","
                + "\"event_types\":[\"push_artifact\"]}", ADMIN);
        assertEquals(409, full.statusCode(), full.body());
        HttpResponse<String> again = send("POST", hooks(p), "{\"name\":\"h0\",\"url\":\"http://127.0.0.1:1/x\","
                + "\"event_types\":[\"push_artifact\"]}", ADMIN);
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(400, send("GET", hooks(p) + "?page_size=1000", null, ADMIN).statusCode());
        HttpResponse<String> page = send("GET", hooks(p) + "?page=2&page_size=15", null, ADMIN);
        assertEquals(5, array(page).size(), page.body());
        assertEquals("20", page.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(404, send("GET", hooks(p) + "/abc", null, ADMIN).statusCode());
        assertEquals(404, send("GET", "api/v1/projects/" + ContentFixture.unique("none") + "/webhooks", null, ADMIN).statusCode());
    }
}
