package org.berth.api.admin;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.berth.support.AdminClient;

/**
 * Garbage collection runs for the integration tests: start one and wait for its end, read metrics,
 * find the data root. The build gives the tests' Berth {@code BERTH_GC_GRACE=2} and
 * {@code BERTH_UPLOAD_EXPIRY=3}: content is garbage {@link #AGED_MILLIS} after it was last touched.
 */
final class GcFixture {

    /** Long enough for anything touched before to be past the grace period (2 s, plus a HEAD's refresh window) and the upload expiry (3 s). */
    static final long AGED_MILLIS = 3_600;

    private final AdminClient api;

    GcFixture(AdminClient api) {
        this.api = api;
    }

    /** Waits until what was touched so far is garbage, if nothing touches it again. */
    static void age() {
        try {
            Thread.sleep(AGED_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a run (waiting for one that still runs, of an earlier test, to end) and answers it when it has ended. */
    JsonObject run(boolean dryRun, boolean deleteUntagged) {
        JsonObject begun = start(dryRun, deleteUntagged);
        return awaitEnd(begun.getJsonNumber("id").longValue());
    }

    JsonObject start(boolean dryRun, boolean deleteUntagged) {
        String body = "{\"dry_run\":" + dryRun + ",\"delete_untagged\":" + deleteUntagged + "}";
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            HttpResponse<String> r = api.send("POST", "api/v1/system/gc", body, ADMIN);
            if (r.statusCode() == 202) {
                JsonObject run = object(r);
                assertEquals("running", run.getString("state"), r.body());
                String location = r.headers().firstValue("Location").orElse("");
                assertTrue(location.endsWith("/api/v1/system/gc/runs/" + run.getJsonNumber("id")), location);
                return run;
            }
            assertEquals(409, r.statusCode(), r.body());
            if (System.currentTimeMillis() > deadline) {
                fail("a garbage collection run kept running for 2 minutes: " + r.body());
            }
            pause(100);
        }
    }

    JsonObject awaitEnd(long id) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonObject run = get(id);
            if (!"running".equals(run.getString("state"))) {
                return run;
            }
            if (System.currentTimeMillis() > deadline) {
                fail("garbage collection run " + id + " did not end within 2 minutes: " + run);
            }
            pause(50);
        }
    }

    JsonObject get(long id) {
        HttpResponse<String> r = api.get("api/v1/system/gc/runs/" + id, ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return object(r);
    }

    static long count(JsonObject run, String kind) {
        return run.getJsonObject("deleted").getJsonObject(kind).getJsonNumber("count").longValue();
    }

    static long bytes(JsonObject run, String kind) {
        return run.getJsonObject("deleted").getJsonObject(kind).getJsonNumber("bytes").longValue();
    }

    /** The repository's entry of a run's report, or null. */
    static JsonObject repository(JsonObject run, String name) {
        return run.getJsonArray("repositories").getValuesAs(JsonObject.class).stream()
                .filter(r -> name.equals(r.getString("repository"))).findFirst().orElse(null);
    }

    /** The value of the first series of a metric whose line has every one of the labels. */
    double metric(String name, String... labels) {
        String body = api.get("metrics", null).body();
        return body.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Stream.of(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " " + String.join(",", labels) + " in /metrics"));
    }

    /** The tests' Berth's data root: the build sets BERTH_DATA_ROOT for it and for this JVM alike. */
    static Path dataRoot() {
        String root = System.getenv("BERTH_DATA_ROOT");
        assertTrue(root != null && !root.isBlank(), "BERTH_DATA_ROOT is not set for the tests");
        return Path.of(root);
    }

    static Path blobFile(String digest) {
        String[] parts = digest.split(":");
        return dataRoot().resolve("blobs").resolve(parts[0]).resolve(parts[1].substring(0, 2)).resolve(parts[1]);
    }

    /** The bytes of every file under blobs/. */
    static long bytesOnDisk() {
        try (Stream<Path> files = Files.walk(dataRoot().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed while walked
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
