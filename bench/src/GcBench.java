import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The garbage collector's benchmark (issue 16), against a running Berth on loopback:
 *
 * <pre>
 *   java bench/src/GcBench.java populate URL REPOSITORY COUNT SIZE [CONCURRENCY]   unreferenced blobs
 *   java bench/src/GcBench.java images URL PREFIX REPOSITORIES COUNT               small tagged images
 *   java bench/src/GcBench.java measure URL [BLOBS] [MANIFESTS]                     the whole benchmark
 * </pre>
 *
 * Credentials: BENCH_USER and BENCH_PASSWORD (Basic), none when unset. {@code measure} wants a Berth
 * with {@code BERTH_GC_GRACE=0} (what it uploads is garbage at once) and an empty data root
 * (bench/gc.sh starts one): it uploads BLOBS (100,000) unreferenced 4 KiB blobs and MANIFESTS
 * (10,000) images (half tagged, half untagged, 100 repositories), measures manifest GETs at
 * c=16 for 5 s, then a dry run with delete_untagged (its manifests phase is the mark), then a real
 * run, with the same manifest GETs during its blob sweep; prints the run's phase times and rates.
 * Every request goes to 127.0.0.1 only.
 */
public class GcBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static String auth;

    public static void main(String[] args) throws Exception {
        String user = System.getenv("BENCH_USER");
        String password = System.getenv("BENCH_PASSWORD");
        if (user != null && password != null) {
            auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (args.length < 2) {
            usage();
        }
        String url = args[1].replaceAll("/+$", "");
        URI u = URI.create(url);
        if (!"127.0.0.1".equals(u.getHost()) && !"localhost".equals(u.getHost()) && !"[::1]".equals(u.getHost())) {
            throw new IllegalArgumentException("only loopback targets: " + url);
        }
        switch (args[0]) {
            case "populate" -> populate(url, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 8, 1);
            case "images" -> images(url, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), 8);
            case "measure" -> measure(url, args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 10_000);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: GcBench populate URL REPOSITORY COUNT SIZE [CONCURRENCY] | images URL PREFIX REPOSITORIES COUNT"
                + " | measure URL [BLOBS] [MANIFESTS]");
        System.exit(2);
    }

    // ------------------------------------------------------------------ content

    /** COUNT blobs of SIZE random bytes (seeded), each uploaded in one request (POST ?digest=). */
    static void populate(String url, String repository, int count, int size, int concurrency, long seed) throws Exception {
        long t0 = System.nanoTime();
        AtomicLong failed = new AtomicLong();
        parallel(concurrency, count, i -> {
            byte[] blob = bytes(size, seed * 1_000_003L + i);
            int status = postBlob(url, repository, blob);
            if (status != 201) {
                failed.incrementAndGet();
            }
        });
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "populate: %d blobs of %d bytes into %s in %.1f s (%.0f/s), %d failed%n",
                count, size, repository, s, count / s, failed.get());
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " uploads failed");
        }
    }

    /** COUNT small images (a 4 KiB layer of their own, a config, an OCI manifest) over REPOSITORIES repositories; even ones tagged, odd ones by digest. */
    static void images(String url, String prefix, int repositories, int count, int concurrency) throws Exception {
        long t0 = System.nanoTime();
        AtomicLong failed = new AtomicLong();
        parallel(concurrency, count, i -> {
            String repository = prefix + "-" + (i % repositories);
            byte[] layer = bytes(4096, 7_000_000L + i);
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                    + "\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            if (postBlob(url, repository, layer) != 201 || postBlob(url, repository, config) != 201) {
                failed.incrementAndGet();
                return;
            }
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length
                    + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + sha256(layer)
                    + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
            String reference = i % 2 == 0 ? "t" + i : sha256(manifest);
            HttpResponse<String> r = send(request(url + "/v2/" + repository + "/manifests/" + reference)
                    .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build());
            if (r.statusCode() != 201) {
                failed.incrementAndGet();
            }
        });
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "images: %d images over %d repositories in %.1f s (%.0f/s), %d failed%n",
                count, repositories, s, count / s, failed.get());
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " image pushes failed");
        }
    }

    // ------------------------------------------------------------------ the benchmark

    static void measure(String url, int blobs, int manifests) throws Exception {
        System.out.printf("GC benchmark against %s: %d unreferenced 4 KiB blobs, %d manifests%n", url, blobs, manifests);
        populate(url, "library/gc-garbage", blobs, 4096, 8, 42);
        images(url, "library/gc-mark", 100, manifests, 8);
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < Math.min(manifests, 1000); i += 2) {
            tagged.add("/v2/library/gc-mark-" + (i % 100) + "/manifests/t" + i);
        }

        double idle = getRate(url, tagged, Duration.ofSeconds(5), null);
        System.out.printf(Locale.ROOT, "manifest GET c=16 without a run: %.0f req/s%n", idle);

        Map<String, Object> dry = runGc(url, true, true, null);
        report("dry run, delete_untagged (its manifests phase is the mark)", dry);

        // the real run; manifest GETs at c=16 while it sweeps the blobs (at most 5 s)
        long id = startGc(url, false, true);
        AtomicBoolean sweeping = new AtomicBoolean(true);
        String run;
        while (!"blobs".equals(phase(run = get(url, id))) && run.contains("\"state\":\"running\"")) {
            Thread.sleep(20);
        }
        double during = Double.NaN;
        double measuredSeconds = 0;
        if (run.contains("\"state\":\"running\"")) {
            Thread watcher = new Thread(() -> {
                try {
                    while (sweeping.get()) {
                        if (!"blobs".equals(phase(get(url, id)))) {
                            sweeping.set(false);
                        }
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    sweeping.set(false);
                }
            });
            watcher.start();
            long t0 = System.nanoTime();
            during = getRate(url, tagged, Duration.ofSeconds(5), sweeping);
            measuredSeconds = (System.nanoTime() - t0) / 1e9;
            sweeping.set(false);
            watcher.join();
        }
        while ((run = get(url, id)).contains("\"state\":\"running\"")) {
            Thread.sleep(50);
        }
        report("real run, delete_untagged", Map.of("json", run));
        System.out.printf(Locale.ROOT, "manifest GET c=16 during the blob sweep: %.0f req/s over %.1f s (%.0f%% of %.0f without a run)%n",
                during, measuredSeconds, 100 * during / idle, idle);
        System.out.println("done; check Berth's log for OutOfMemoryError (it ran with the heap bench/gc.sh gave it)");
    }

    static long startGc(String url, boolean dryRun, boolean deleteUntagged) throws Exception {
        HttpResponse<String> r = send(request(url + "/api/v1/system/gc").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dry_run\":" + dryRun + ",\"delete_untagged\":" + deleteUntagged + "}")).build());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("start: " + r.statusCode() + " " + r.body());
        }
        return number(r.body(), "id");
    }

    static String get(String url, long id) throws Exception {
        return send(request(url + "/api/v1/system/gc/runs/" + id).GET().build()).body();
    }

    /** Starts a run and waits for its end, calling {@code watch} with each progress it reads (every 50 ms). */
    static Map<String, Object> runGc(String url, boolean dryRun, boolean deleteUntagged,
                                     java.util.function.Consumer<String> watch) throws Exception {
        long id = startGc(url, dryRun, deleteUntagged);
        while (true) {
            String run = get(url, id);
            if (watch != null) {
                watch.accept(run);
            }
            if (!run.contains("\"state\":\"running\"")) {
                return Map.of("json", run);
            }
            Thread.sleep(50);
        }
    }

    static String phase(String run) {
        Matcher m = Pattern.compile("\"phase\":\"([a-z]+)\"").matcher(run);
        return m.find() ? m.group(1) : "";
    }

    static void report(String what, Map<String, Object> run) {
        String json = (String) run.get("json");
        System.out.println(what + ": " + json.replaceAll("\"repositories\":\\[.*?\\],", ""));
        Matcher m = Pattern.compile("\\{\"phase\":\"([a-z]+)\",\"millis\":(\\d+),\"scanned\":(\\d+)\\}").matcher(json);
        while (m.find()) {
            long millis = Long.parseLong(m.group(2));
            long scanned = Long.parseLong(m.group(3));
            System.out.printf(Locale.ROOT, "  phase %-9s %8d ms, %7d looked at (%.0f/s)%n", m.group(1), millis, scanned,
                    millis == 0 ? 0.0 : scanned * 1000.0 / millis);
        }
    }

    /** Manifest GETs at c=16 for {@code duration}, or while {@code during} holds. */
    static double getRate(String url, List<String> paths, Duration duration, AtomicBoolean during) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int first = t;
            workers.add(pool.submit(() -> {
                int i = first;
                while (System.nanoTime() < end && (during == null || during.get())) {
                    try {
                        HttpResponse<String> r = send(request(url + paths.get(i++ % paths.size()))
                                .header("Accept", OCI_MANIFEST).GET().build());
                        if (r.statusCode() == 200) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double s = (System.nanoTime() - t0) / 1e9;
        if (failed.get() > 0) {
            System.out.println("  " + failed.get() + " manifest GETs failed");
        }
        return done.get() / s;
    }

    // ------------------------------------------------------------------ HTTP

    static int postBlob(String url, String repository, byte[] blob) throws Exception {
        return send(request(url + "/v2/" + repository + "/blobs/uploads/?digest=" + sha256(blob))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build())
                .statusCode();
    }

    static HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b;
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    interface Task {
        void run(int i) throws Exception;
    }

    static void parallel(int threads, int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (long i; (i = next.getAndIncrement()) < count; ) {
                    task.run((int) i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
