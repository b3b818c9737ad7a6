package org.berth.api.admin;

import static org.berth.api.admin.ContentFixture.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.Test;

/**
 * "Link this blob" and "delete this blob" never both win (issue 16): while real garbage collection
 * runs follow one another, clients push blobs that are garbage at that moment (uploaded again,
 * mounted, or referenced through a link past its grace period) and manifests that use them. Every
 * push that was answered 201 must be pullable afterwards, blob by blob, to the last byte; a push of
 * a manifest whose link was collected first may be refused, never accepted and then broken.
 */
class GcConcurrencyIT extends ITBase {

    private static final int ROUNDS = 40;

    private final Random random = new Random();

    private byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        synchronized (random) {
            random.nextBytes(b);
        }
        return b;
    }

    /** A manifest a client was told was stored, and the blobs it needs. */
    private record Pushed(String repository, byte[] manifest, List<byte[]> blobs) {
    }

    @Test
    void pushesOfBlobsThatAreBeingCollectedEitherFailCleanlyOrStayWhole() throws Exception {
        ContentFixture fx = new ContentFixture(base());
        GcFixture gc = new GcFixture(fx.api);
        RegistryClient registry = fx.registry();
        String p = fx.project(true);
        // garbage by the time the pushes start: blobs linked nowhere else, links no manifest references
        List<byte[]> reuploaded = new ArrayList<>();
        List<byte[]> mounted = new ArrayList<>();
        List<byte[]> stale = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            reuploaded.add(randomBytes(4096));
            mounted.add(randomBytes(4096));
            stale.add(randomBytes(4096));
            fx.blob(registry, p + "/seed", reuploaded.get(i));
            fx.blob(registry, p + "/mount-source", mounted.get(i));
            fx.blob(registry, p + "/stale", stale.get(i));
        }
        GcFixture.age();

        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        List<Pushed> pushed = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> collector = pool.submit(() -> {
                while (pushing.get()) {
                    gc.run(false, false);
                    runs.incrementAndGet();
                }
            });
            // the pushes start as the first run starts, so that they meet it in every phase
            while (runs.get() == 0 && !collector.isDone()
                    && fx.api.get("api/v1/system/gc", org.berth.support.AdminClient.ADMIN).body().contains("\"running\":null")) {
                GcFixture.pause(5);
            }
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int first = t;
                clients.add(pool.submit(() -> {
                    RegistryClient client = fx.registry();
                    for (int i = first; i < ROUNDS; i += 2) {
                        push(client, p + "/up-" + i, reuploaded.get(i), "upload", pushed, failures, refused);
                        push(client, p + "/mount-" + i, mounted.get(i), "mount:" + p + "/mount-source", pushed, failures, refused);
                        push(client, p + "/stale", stale.get(i), "link", pushed, failures, refused);
                    }
                }));
            }
            for (Future<?> client : clients) {
                client.get(5, TimeUnit.MINUTES);
            }
            pushing.set(false);
            collector.get(5, TimeUnit.MINUTES);
        } finally {
            pushing.set(false);
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures);
        assertTrue(runs.get() >= 2, "collection ran while the clients pushed: " + runs.get() + " runs");
        // once more, and then every push that was accepted is whole
        gc.run(false, false);
        for (Pushed p2 : pushed) {
            RegistryClient.Response m = registry.getManifest(p2.repository(), RegistryClient.sha256(p2.manifest()), RegistryClient.OCI_MANIFEST);
            assertEquals(200, m.status(), p2.repository() + " " + m);
            for (byte[] blob : p2.blobs()) {
                RegistryClient.Response b = registry.getBlob(p2.repository(), RegistryClient.sha256(blob));
                assertEquals(200, b.status(), "blob of an accepted push in " + p2.repository() + ": " + b);
                assertArrayEquals(blob, b.body());
            }
        }
        assertEquals(2 * ROUNDS + (ROUNDS - refused.get()), pushed.size(), "uploads and mounts are never refused");
    }

    /**
     * One push of a manifest using {@code layer}, brought by {@code how}: uploaded again, mounted from
     * a repository (an upload when the mount is refused), or only referenced through its old link.
     */
    private void push(RegistryClient client, String repository, byte[] layer, String how, List<Pushed> pushed,
                      List<String> failures, AtomicInteger refused) {
        String digest = RegistryClient.sha256(layer);
        if (how.equals("upload")) {
            RegistryClient.Response r = client.uploadBlob(repository, digest, layer);
            if (r.status() != 201) {
                failures.add("upload of a collected blob into " + repository + ": " + r);
                return;
            }
        } else if (how.startsWith("mount:")) {
            RegistryClient.Response r = client.mount(repository, digest, how.substring("mount:".length()));
            if (r.status() == 202) {
                r = client.request("PUT", r.relativeLocation()).query("digest", digest).contentType("application/octet-stream")
                        .body(layer).send();
            }
            if (r.status() != 201) {
                failures.add("mount (or the upload instead) into " + repository + ": " + r);
                return;
            }
        }
        byte[] config = config("linux", "amd64", repository + "-" + digest);
        RegistryClient.Response c = client.uploadBlob(repository, RegistryClient.sha256(config), config);
        if (c.status() != 201) {
            failures.add("config upload into " + repository + ": " + c);
            return;
        }
        byte[] manifest = ContentFixture.manifest(config, List.of(layer), null);
        RegistryClient.Response m = client.putManifest(repository, RegistryClient.sha256(manifest), RegistryClient.OCI_MANIFEST, manifest);
        if (m.status() == 404 && how.equals("link") && m.errorCodes().equals(List.of("MANIFEST_BLOB_UNKNOWN"))) {
            refused.incrementAndGet(); // the link was past its grace period and collected first: a clean refusal
            return;
        }
        if (m.status() != 201) {
            failures.add("manifest into " + repository + " (" + how + "): " + m);
            return;
        }
        RegistryClient.Response got = client.getBlob(repository, digest);
        if (got.status() != 200) {
            failures.add("blob of a manifest just accepted in " + repository + " (" + how + "): " + got);
            return;
        }
        pushed.add(new Pushed(repository, manifest, List.of(config, layer)));
    }
}
