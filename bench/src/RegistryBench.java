import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Side-by-side benchmark of two OCI registries (CNCF Distribution and Berth), both already running
 * on loopback without authentication. Started by bench/run.sh; run alone with
 * {@code java bench/src/RegistryBench.java --mode quick --dist URL --dist-pid PID --berth URL --berth-pid PID --work DIR --out FILE}.
 *
 * Every workload runs against both registries interleaved A,B,A,B,A,B (A = Distribution); each
 * figure is the median of the samples, and the ratio is Berth/Distribution. Content is random but
 * reproducible (seeded), unique per sample so no push is deduplicated against an earlier one. Every
 * push is verified afterwards with a HEAD (blob digest and length, manifest digest by tag), outside
 * the timed part; every unexpected status counts as a failure and a run with failures exits 1.
 *
 * Repositories are under library/ because Berth lets a push create a repository only inside an
 * existing project, and "library" exists from the start.
 *
 * MB/s is 10^6 bytes per second. Only loopback URLs are accepted.
 */
public class RegistryBench {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /**
     * A registry under test: its name in the table, its URL, and the processes whose CPU and RSS are
     * its own (several for several nodes behind one balancer; summed).
     */
    record Target(String name, URI base, List<Long> pids) {
        /** The first process: the one server of run.sh's targets. */
        long pid() { return pids.get(0); }
    }

    /** One printed figure: samples per target, one per repetition. */
    static final class Figure {
        final String workload, name, unit;
        final boolean higherIsBetter;
        final Map<String, List<Double>> samples = new LinkedHashMap<>();
        Figure(String workload, String name, String unit, boolean higherIsBetter) {
            this.workload = workload; this.name = name; this.unit = unit; this.higherIsBetter = higherIsBetter;
        }
    }

    final boolean full;
    /** Samples per target and figure (interleaved A, B, A, B, ...). */
    int reps = 3;
    final List<Target> targets;
    final Path work;
    final HttpClient client;
    final Map<String, Figure> figures = new LinkedHashMap<>();
    final Map<String, AtomicInteger> failures = new LinkedHashMap<>();
    final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Object> context = new LinkedHashMap<>();
    final List<Map<String, Object>> memory = new ArrayList<>();
    final List<Map<String, Object>> cpu = new ArrayList<>();
    /** Processes both targets use, their CPU recorded per sample ({@code --aux}). */
    final List<Aux> aux = new ArrayList<>();

    /** nginx serving the work folder on loopback (the machine-limit context for GET), or null. */
    URI nginx;
    /** Run the docker CLI workload (needs /usr/bin/docker and a busybox binary). */
    boolean docker;
    /** Per target, nginx's GET rates of the blob files that target stored. */
    final Map<String, List<Double>> nginxGet = new LinkedHashMap<>();

    /** Blob GETs per streamed sample, each recorded. */
    static final int GETS_PER_SAMPLE = 3;

    final String runId = Long.toString(ProcessHandle.current().pid());

    RegistryBench(boolean full, List<Target> targets, Path work) {
        this.full = full; this.targets = targets; this.work = work;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(4, daemon()))
                .build();
        for (Target t : targets) failures.put(t.name(), new AtomicInteger());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        RegistryBench b = fromOptions(a);
        b.runAll();
        System.exit(b.finish(a));
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        return a;
    }

    /** The harness as the options say: targets, context, --reps, --aux (ScaleBench builds on it too). */
    static RegistryBench fromOptions(Map<String, String> a) {
        String mode = a.getOrDefault("--mode", "quick");
        boolean full = "full".equals(mode);
        Path work = Path.of(a.getOrDefault("--work", System.getProperty("java.io.tmpdir")));
        // Targets A and B: --a/--b (with --a-name, --a-pids P,P...) or, as run.sh passes them,
        // --dist and --berth.
        List<Target> targets = List.of(
                target(a, "--a", "--dist", "distribution"),
                target(a, "--b", "--berth", "berth"));
        RegistryBench b = new RegistryBench(full, targets, work);
        if (a.containsKey("--nginx")) b.nginx = loopback(a.get("--nginx"));
        b.docker = !"false".equals(a.getOrDefault("--docker", "true"));
        b.reps = Integer.parseInt(a.getOrDefault("--reps", "3"));
        if (b.reps < 1 || b.reps > 20) throw new IllegalArgumentException("--reps must be 1..20");
        for (String aux : a.getOrDefault("--aux", "").split(",")) {
            if (!aux.isEmpty()) b.aux.add(Aux.parse(aux));
        }
        b.context.put("mode", mode);
        b.context.put("date", Instant.now().toString());
        b.context.put("note", a.getOrDefault("--note", ""));
        b.context.put("distribution_startup_ms", a.getOrDefault("--dist-startup-ms", ""));
        b.context.put("berth_startup_ms", a.getOrDefault("--berth-startup-ms", ""));
        b.context.put("java", System.getProperty("java.version"));
        b.context.put("cores", Runtime.getRuntime().availableProcessors());
        b.context.put("loadavg_start", loadAverage());
        return b;
    }

    /** Writes the JSON (--out); the exit status: 1 when any request failed. */
    int finish(Map<String, String> a) throws IOException {
        context.put("loadavg_end", loadAverage());
        if (a.containsKey("--out")) Files.writeString(Path.of(a.get("--out")), json());
        return failures.values().stream().mapToInt(AtomicInteger::get).sum() == 0 ? 0 : 1;
    }

    static Target target(Map<String, String> a, String opt, String legacyOpt, String legacyName) {
        if (a.containsKey(opt)) {
            List<Long> pids = new ArrayList<>();
            for (String p : a.getOrDefault(opt + "-pids", "0").split(",")) pids.add(Long.parseLong(p.trim()));
            return new Target(a.getOrDefault(opt + "-name", opt.substring(2)), loopback(a.get(opt)), List.copyOf(pids));
        }
        return new Target(legacyName, loopback(a.get(legacyOpt)), List.of(Long.parseLong(a.getOrDefault(legacyOpt + "-pid", "0"))));
    }

    static URI loopback(String url) {
        if (url == null) throw new IllegalArgumentException("--dist and --berth (or --a and --b) are required");
        URI u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        String h = u.getHost();
        if (!(h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]"))) {
            throw new IllegalArgumentException("only loopback targets are allowed: " + url);
        }
        return u;
    }

    // ---------------------------------------------------------------- workloads

    void runAll() throws Exception {
        contextFigures();
        long n1 = 20;                         // 1 MiB pushes per sample
        long bigStream = (full ? 1024L : 256L) << 20;
        int headN = full ? 2000 : 300;
        int images = full ? 2000 : 200;
        int getSeconds = full ? 15 : 5;

        warmUp();
        heapSnapshot("warm-up");
        workload("monolithic 1 MiB", (t, rep) -> pushMonolithicSmall(t, rep, (int) n1));
        workload("monolithic 64 MiB", (t, rep) -> pushMonolithicFile(t, rep, 64L << 20));
        if (full) workload("monolithic 1 GiB", (t, rep) -> pushMonolithicFile(t, rep, 1L << 30));
        // Streamed push, then GET and HEAD of the same blob: one blob file per repetition.
        workload("streamed push + GET + HEAD", (t, rep) -> streamedPushPullHead(t, rep, bigStream, headN));
        workload("chunked 16 MiB PATCHes", (t, rep) -> chunkedPush(t, rep, bigStream, 16 << 20));
        workload("small images c=1", (t, rep) -> smallImages(t, rep, images, 1));
        workload("small images c=8", (t, rep) -> smallImages(t, rep, images, 8));
        workload("manifest GET c=16", (t, rep) -> manifestGets(t, rep, images, 16, getSeconds));
        workload("catalog and tags/list", (t, rep) -> catalogAndTags(t, rep, 1000, full ? 20 : 5));
        if (docker) dockerCli();
        heapGrowth(full ? 10 : 3, full ? 200 : 100);
        // dd again: on this kind of VM its rate moves with the page cache's state during the run.
        context.put("dd_fsync_end_MBps", round(ddFsync()));
        printSummary();
    }

    /**
     * Untimed, the same for both targets: every request type of the timed workloads, at small scale,
     * so that the figures are a warm server's (the JIT compilers of Berth and of this client have seen
     * each path) and the cold start shows in the startup figure only. Per target: 20 pushes of 1 MiB,
     * 2000 HEADs, 200 small images at c=8, 3 s of manifest GETs at c=16, 300 tags/list GETs of 200 tags
     * and 20 _catalog GETs. Its figures are dropped.
     */
    void warmUp() throws Exception {
        for (Target t : targets) {
            for (int i = 0; i < 20; i++) {
                byte[] b = random(-1 - i, 1 << 20);
                String d = sha256(b);
                pushBlob(t, "library/bench-warmup", d, HttpRequest.BodyPublishers.ofByteArray(b));
                if (i == 19) for (int h = 0; h < 2000; h++) verifyBlob(t, "library/bench-warmup", d, 1 << 20);
            }
            smallImages(t, WARM_UP_REP, 200, 8);
            settleJit(t);
            manifestGets(t, WARM_UP_REP, 200, 16, 3);
            String repo = "library/bench-small-r" + WARM_UP_REP + "-c8";
            for (int i = 0; i < 320; i++) {
                URI u = t.base().resolve(i < 300 ? "/v2/" + repo + "/tags/list" : "/v2/_catalog?n=100");
                send(t, HttpRequest.newBuilder(u).GET().build(), 200, "warm-up list");
            }
        }
        figures.clear();
        System.out.println("warm-up done, failures so far: " + failures);
    }

    /**
     * More small images at c=8, in rounds of 200, until a round costs the server within 10% of the
     * CPU of the round before (at least {@link #SETTLE_MIN_ROUNDS} rounds, at most
     * {@link #SETTLE_ROUNDS}): a JVM compiles its hot paths for minutes, and on 2 cores Berth's C2
     * compiler thread was still taking a quarter of the CPU per image after 1500 images
     * (2026-12-01), which the timed c=1 figures then paid for. Distribution, compiled ahead of
     * time, does the same work in each round. The CPU seconds per round are printed and
     * kept in the JSON ({@code <target>_settle_cpu_s}).
     */
    void settleJit(Target t) throws Exception {
        settle(t, 8, WARM_UP_REP - 1, SETTLE_MIN_ROUNDS, SETTLE_ROUNDS);
    }

    /**
     * {@link #settleJit} at any concurrency: rounds of 200 small images in repetitions
     * {@code firstRep}, {@code firstRep - 1}, ... until a round's server CPU is within 10% of the round before.
     */
    void settle(Target t, int concurrency, int firstRep, int minRounds, int maxRounds) throws Exception {
        List<Double> perRound = new ArrayList<>();
        for (int round = 0; round < maxRounds; round++) {
            double c0 = cpuSeconds(t);
            smallImages(t, firstRep - round, 200, concurrency);
            perRound.add(round(cpuSeconds(t) - c0));
            int n = perRound.size();
            if (n >= minRounds && Math.abs(perRound.get(n - 1) - perRound.get(n - 2)) <= 0.1 * perRound.get(n - 2)) break;
        }
        context.put(t.name() + "_settle_cpu_s", perRound);
        System.out.println("   " + t.name() + " warm-up rounds of 200 images, server CPU s each: " + perRound);
    }

    /** At least and at most this many {@link #settleJit} rounds per target. */
    static final int SETTLE_MIN_ROUNDS = 4, SETTLE_ROUNDS = 12;

    /** The repetition number of the warm-up's small images (its own repository). */
    static final int WARM_UP_REP = 90;

    interface Sample { void run(Target t, int rep) throws Exception; }

    void workload(String name, Sample s) throws Exception {
        System.out.printf("== %s%n", name);
        for (int rep = 0; rep < reps; rep++) {
            for (Target t : targets) {
                double c0 = cpuSeconds(t), m0 = cpuSeconds(ProcessHandle.current().pid());
                List<Double> byPid0 = t.pids().stream().map(RegistryBench::cpuSeconds).toList();
                List<Double> aux0 = aux.stream().map(Aux::cpuSeconds).toList();
                long w0 = System.nanoTime();
                s.run(t, rep);
                double wall = (System.nanoTime() - w0) / 1e9;
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("workload", name); c.put("target", t.name()); c.put("rep", rep);
                c.put("wall_s", round(wall));
                c.put("server_cpu_s", round(cpuSeconds(t) - c0));
                c.put("client_cpu_s", round(cpuSeconds(ProcessHandle.current().pid()) - m0));
                if (t.pids().size() > 1) {
                    List<Double> byPid = new ArrayList<>();
                    for (int i = 0; i < t.pids().size(); i++) byPid.add(round(cpuSeconds(t.pids().get(i)) - byPid0.get(i)));
                    c.put("server_cpu_s_by_pid", byPid);
                }
                for (int i = 0; i < aux.size(); i++) c.put(aux.get(i).name() + "_cpu_s", round(aux.get(i).cpuSeconds() - aux0.get(i)));
                c.put("load1", loadAverage().get(0));
                cpu.add(c);
            }
        }
        heapSnapshot(name);
    }

    /** RSS of both servers; for Berth (a JVM) also heap used, then heap used after a forced full GC (jcmd). */
    void heapSnapshot(String after) {
        for (Target t : targets) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("after", after); m.put("target", t.name());
            m.put("rss_mib", t.pids().stream().mapToLong(RegistryBench::rssMiB).sum());
            if (isJvm(t.pid())) {
                m.put("heap_used_mib", t.pids().stream().mapToLong(p -> heapUsedMiB(p, false)).sum());
                m.put("heap_after_gc_mib", t.pids().stream().mapToLong(p -> heapUsedMiB(p, true)).sum());
            }
            memory.add(m);
        }
        System.out.printf("   memory after: %s%n", memory.subList(memory.size() - targets.size(), memory.size()));
    }

    /** Sum of the 'used' of every generation/heap line of jcmd GC.heap_info, MiB; -1 when jcmd fails. */
    static long heapUsedMiB(long pid, boolean afterGc) {
        try {
            if (afterGc) run(List.of("jcmd", Long.toString(pid), "GC.run"), 60);
            String out = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"), 60);
            long kib = 0;
            java.util.regex.Matcher mt = java.util.regex.Pattern
                    .compile("(?m)^\\s*(garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K")
                    .matcher(out);
            boolean any = false;
            while (mt.find()) { kib += Long.parseLong(mt.group(2)); any = true; }
            return any ? kib / 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Runs a command (bounded), returns stdout+stderr; throws on a non-zero exit. */
    static String run(List<String> cmd, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IOException("timeout: " + cmd); }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(cmd + " exited " + p.exitValue() + ": " + s.substring(0, Math.min(400, s.length())));
        return s;
    }

    void record(String workload, String name, String unit, boolean higher, Target t, double value) {
        Figure f = figures.computeIfAbsent(workload + " | " + name, k -> new Figure(workload, name, unit, higher));
        f.samples.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(value);
        System.out.printf("   %-13s %-22s %10.2f %s%n", t.name(), name, value, unit);
    }

    void pushMonolithicSmall(Target t, int rep, int count) throws Exception {
        String repo = "library/bench-mono1m-" + rep;
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < count; i++) blobs.add(random(1000L * rep + i + 1, 1 << 20));
        List<String> digests = new ArrayList<>();
        for (byte[] b : blobs) digests.add(sha256(b));
        long t0 = System.nanoTime();
        boolean ok = true;
        for (int i = 0; i < count; i++) {
            ok &= pushBlob(t, repo, digests.get(i), HttpRequest.BodyPublishers.ofByteArray(blobs.get(i)));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < count; i++) verifyBlob(t, repo, digests.get(i), 1 << 20);
        // A sample with a failed push has no rate: failed requests are fast and would flatter it.
        if (ok) record("monolithic 1 MiB", "push", "MB/s", true, t, count * (double) (1 << 20) / 1e6 / s);
    }

    void pushMonolithicFile(Target t, int rep, long size) throws Exception {
        String label = size >= 1L << 30 ? (size >> 30) + " GiB" : (size >> 20) + " MiB";
        String repo = "library/bench-mono" + (size >> 20) + "m-" + rep;
        Path f = work.resolve("mono-" + rep + ".bin");
        String digest = ensureFile(f, 2000L + rep, size);
        long t0 = System.nanoTime();
        boolean ok = false;
        HttpResponse<String> post = send(t, post(t, "/v2/" + repo + "/blobs/uploads/"), 202, "upload POST");
        if (post != null) {
            ok = rawSend(t, withDigest(location(t, post), digest), "PUT", OCTETS, f, 0, size, 201, "upload PUT") != null;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        verifyBlob(t, repo, digest, size);
        if (ok) record("monolithic " + label, "push", "MB/s", true, t, size / 1e6 / s);
        if (t == targets.get(targets.size() - 1)) Files.deleteIfExists(f);
    }

    /** Where each registry keeps a blob's bytes under the work folder that nginx serves. */
    static String storedBlobPath(Target t, String digest) {
        String hex = digest.substring("sha256:".length());
        return t.name().equals("berth")
                ? "/berth/blobs/sha256/" + hex.substring(0, 2) + "/" + hex
                : "/dist/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data";
    }

    void streamedPushPullHead(Target t, int rep, long size, int heads) throws Exception {
        String w = "streamed " + (size >> 20) + " MiB";
        String repo = "library/bench-stream-" + rep;
        Path f = work.resolve("stream-" + rep + ".bin");
        String digest = ensureFile(f, 3000L + rep, size);

        long t0 = System.nanoTime();
        boolean ok = false;
        HttpResponse<String> post = send(t, post(t, "/v2/" + repo + "/blobs/uploads/"), 202, "streamed POST");
        if (post != null) {
            RawReply pr = rawSend(t, location(t, post), "PATCH", OCTETS, f, 0, size, 202, "streamed PATCH");
            if (pr != null) {
                HttpRequest put = HttpRequest.newBuilder(withDigest(location(t, pr), digest))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.noBody()).build();
                ok = send(t, put, 201, "streamed PUT") != null;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        verifyBlob(t, repo, digest, size);
        if (ok) record(w, "push", "MB/s", true, t, size / 1e6 / s);

        // GET: drain the body, count bytes (no client-side hashing, to keep the client cheap), several
        // times per sample: one loopback GET of 256 MiB swings between 1.5 and 3 GB/s here whatever
        // serves it. Each is followed by nginx's GET of the very file the registry stored (sendfile,
        // same client): the machine's limit for those bytes in that page-cache state.
        URI blob = t.base().resolve("/v2/" + repo + "/blobs/" + digest);
        URI stored = nginx == null ? null : nginx.resolve(storedBlobPath(t, digest));
        for (int g = 0; g < GETS_PER_SAMPLE; g++) {
            double get = rawDrain(blob, size);
            if (get < 0) fail(t, "blob GET failed"); else record(w, "GET", "MB/s", true, t, get);
            if (stored != null) {
                double ng = rawDrain(stored, size);
                if (ng > 0) nginxGet.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(ng);
                System.out.printf("   %-13s %-22s %10.2f %s%n", "nginx", "GET of its file", ng, "MB/s");
            }
        }

        List<Double> lat = new ArrayList<>();
        HttpRequest head = HttpRequest.newBuilder(blob).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        for (int i = 0; i < heads; i++) {
            long h0 = System.nanoTime();
            HttpResponse<Void> hr = client.send(head, HttpResponse.BodyHandlers.discarding());
            double ms = (System.nanoTime() - h0) / 1e6;
            if (hr.statusCode() == 200) lat.add(ms); else fail(t, "blob HEAD: status " + hr.statusCode());
        }
        if (lat.size() == heads) {
            record(w, "HEAD p50", "ms", false, t, pct(lat, 50));
            record(w, "HEAD p99", "ms", false, t, pct(lat, 99));
        }
        if (t == targets.get(targets.size() - 1)) Files.deleteIfExists(f);
    }

    /** POST, then PATCHes of {@code chunk} bytes each with Content-Range, then PUT ?digest= with no body. */
    void chunkedPush(Target t, int rep, long size, int chunk) throws Exception {
        String w = "chunked " + (size >> 20) + " MiB";
        String repo = "library/bench-chunked-" + rep;
        Path f = work.resolve("chunked-" + rep + ".bin");
        String digest = ensureFile(f, 4000L + rep, size);
        long t0 = System.nanoTime();
        boolean ok = false;
        HttpResponse<String> post = send(t, post(t, "/v2/" + repo + "/blobs/uploads/"), 202, "chunked POST");
        URI next = post == null ? null : location(t, post);
        for (long off = 0; next != null && off < size; ) {
            long n = Math.min(chunk, size - off);
            RawReply r = rawSend(t, next, "PATCH", Map.of("Content-Type", "application/octet-stream",
                    "Content-Range", off + "-" + (off + n - 1)), f, off, n, 202, "chunked PATCH");
            next = r == null ? null : location(t, r);
            off += n;
        }
        if (next != null) {
            HttpRequest put = HttpRequest.newBuilder(withDigest(next, digest))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build();
            ok = send(t, put, 201, "chunked PUT") != null;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        verifyBlob(t, repo, digest, size);
        if (ok) record(w, "push", "MB/s", true, t, size / 1e6 / s);
        if (t == targets.get(targets.size() - 1)) Files.deleteIfExists(f);
    }

    /**
     * Sample 0 fills each registry (untimed for the figures): {@code count} repositories bench-cat-NNNN each
     * with one manifest, and one repository with {@code count} tags. Every sample then times, {@code walks}
     * times each: the catalog walked with the registry's default page (full) and with n=100 (paged,
     * following Link), and the same for tags/list. Figures: median ms per whole walk.
     */
    void catalogAndTags(Target t, int rep, int count, int walks) throws Exception {
        String tagsRepo = "library/bench-tags";
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
        String cd = sha256(config.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd
                + "\",\"size\":" + config.getBytes(StandardCharsets.UTF_8).length + "},\"layers\":[]}";
        if (rep == 0) {
            ExecutorService pool = Executors.newFixedThreadPool(8, daemon());
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String repo = String.format("library/bench-cat-%04d", i);
                fs.add(pool.submit(() -> {
                    if (pushBlob(t, repo, cd, HttpRequest.BodyPublishers.ofString(config))) {
                        send(t, HttpRequest.newBuilder(t.base().resolve("/v2/" + repo + "/manifests/v1"))
                                .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(),
                                201, "catalog manifest PUT");
                    }
                    return null;
                }));
            }
            for (Future<?> fu : fs) fu.get(10, TimeUnit.MINUTES);
            fs.clear();
            if (pushBlob(t, tagsRepo, cd, HttpRequest.BodyPublishers.ofString(config))) {
                for (int i = 0; i < count; i++) {
                    String tag = String.format("t%04d", i);
                    fs.add(pool.submit(() -> send(t, HttpRequest.newBuilder(t.base().resolve("/v2/" + tagsRepo + "/manifests/" + tag))
                            .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(),
                            201, "tags manifest PUT")));
                }
            }
            for (Future<?> fu : fs) fu.get(10, TimeUnit.MINUTES);
            pool.shutdown();
        }
        String[][] walksToTime = {
                {"_catalog full", "/v2/_catalog", "bench-cat-"},
                {"_catalog n=100", "/v2/_catalog?n=100", "bench-cat-"},
                {"tags/list full", "/v2/" + tagsRepo + "/tags/list", "\"t"},
                {"tags/list n=100", "/v2/" + tagsRepo + "/tags/list?n=100", "\"t"}};
        for (String[] wk : walksToTime) {
            List<Double> lat = new ArrayList<>();
            for (int i = 0; i < walks; i++) {
                long t0 = System.nanoTime();
                int seen = walk(t, wk[1], wk[2]);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (seen < count) { fail(t, wk[0] + ": saw " + seen + " of " + count + " entries"); break; }
                lat.add(ms);
            }
            if (lat.size() == walks) record("catalog and tags/list", wk[0], "ms", false, t, median(lat));
        }
    }

    /** Follows Link rel=next from {@code path} (at most 1000 pages); counts occurrences of {@code marker}. */
    int walk(Target t, String path, String marker) throws Exception {
        int seen = 0;
        URI next = t.base().resolve(path);
        for (int page = 0; next != null && page < 1000; page++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(next).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) { fail(t, "GET " + next + ": status " + r.statusCode()); return -1; }
            for (int i = r.body().indexOf(marker); i >= 0; i = r.body().indexOf(marker, i + 1)) seen++;
            String link = r.headers().firstValue("Link").orElse(null);
            next = link == null ? null : t.base().resolve(link.substring(link.indexOf('<') + 1, link.indexOf('>')));
        }
        return seen;
    }

    /**
     * docker push, docker rmi, docker pull of an image with 5 layers of 20 MiB random data (wall seconds
     * of /usr/bin/docker). One image per repetition (built offline from a static busybox, untimed), pushed
     * to A then B; then the local image is removed and pulled from A, removed, pulled from B, removed, so
     * no pull finds a layer locally and no push can mount one from an earlier repetition.
     */
    void dockerCli() throws Exception {
        System.out.println("== docker CLI: push, rmi, pull of 5 x 20 MiB");
        String base = "berth-bench-base:" + runId;
        Path root = work.resolve("docker-base");
        Files.createDirectories(root.resolve("bin"));
        Path bb = Files.exists(Path.of("/bin/busybox")) ? Path.of("/bin/busybox") : Path.of("/usr/bin/busybox");
        Files.copy(bb, root.resolve("bin/busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            run(List.of("tar", "-C", root.toString(), "-cf", work.resolve("base.tar").toString(), "."), 120);
            run(List.of("/usr/bin/docker", "import", "-c", "CMD [\"/bin/busybox\",\"sh\"]", work.resolve("base.tar").toString(), base), 300);
        } catch (Exception e) {
            for (Target t : targets) fail(t, "docker base image: " + e.getMessage());
            return;
        }
        List<String> cleanup = new ArrayList<>(List.of(base));
        try {
            // rep -1 is an untimed warm-up round: docker's requests (chunked PATCH bodies, its HEADs
            // and mounts) differ from the harness's own, and neither registry should meet them cold.
            for (int rep = -1; rep < reps; rep++) {
                boolean timed = rep >= 0;
                String local = "berth-bench-img:" + runId + "-" + rep;
                Path ctx = work.resolve("docker-ctx-" + rep);
                Files.createDirectories(ctx);
                StringBuilder df = new StringBuilder("FROM " + base + "\n");
                for (int l = 1; l <= 5; l++) {
                    ensureFile(ctx.resolve("layer" + l + ".bin"), 5000L + 10L * rep + l + Long.parseLong(runId) * 100, 20L << 20);
                    df.append("COPY layer").append(l).append(".bin /data/layer").append(l).append(".bin\n");
                }
                Files.writeString(ctx.resolve("Dockerfile"), df.toString());
                run(List.of("/usr/bin/docker", "build", "--no-cache", "-q", "-t", local, ctx.toString()), 600);
                cleanup.add(local);
                Map<Target, String> refs = new LinkedHashMap<>();
                for (Target t : targets) {
                    String ref = t.base().getAuthority() + "/library/bench-docker-" + runId + "-" + rep + ":v1";
                    refs.put(t, ref);
                    cleanup.add(ref);
                    run(List.of("/usr/bin/docker", "tag", local, ref), 60);
                    docker(t, "docker push", List.of("/usr/bin/docker", "push", ref), timed);
                    run(List.of("/usr/bin/docker", "rmi", ref), 60);        // untag only: the local tag remains
                }
                run(List.of("/usr/bin/docker", "rmi", local), 120);
                for (Target t : targets) {
                    docker(t, "docker pull", List.of("/usr/bin/docker", "pull", refs.get(t)), timed);
                    docker(t, "docker rmi", List.of("/usr/bin/docker", "rmi", refs.get(t)), timed);
                }
                deleteTree(ctx);
            }
        } catch (Exception e) {
            for (Target t : targets) fail(t, "docker CLI workload: " + e.getMessage());
        } finally {
            for (String img : cleanup) {
                try { run(List.of("/usr/bin/docker", "rmi", "-f", img), 120); } catch (Exception ignored) { /* already gone */ }
            }
        }
        heapSnapshot("docker CLI");
    }

    void docker(Target t, String what, List<String> cmd, boolean timed) throws Exception {
        if (timed) {
            timedDocker(t, what, cmd);
        } else {
            run(cmd, 600);
        }
    }

    void timedDocker(Target t, String what, List<String> cmd) throws Exception {
        double c0 = cpuSeconds(t);
        long t0 = System.nanoTime();
        try {
            run(cmd, 600);
        } catch (IOException e) {
            fail(t, what + ": " + e.getMessage());
            return;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        record("docker 5 x 20 MiB", what, "s", false, t, s);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("workload", "docker CLI"); c.put("target", t.name()); c.put("rep", -1);
        c.put("wall_s", round(s)); c.put("server_cpu_s", round(cpuSeconds(t) - c0)); c.put("client_cpu_s", Double.NaN);
        cpu.add(c);
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    /**
     * Heap growth: {@code rounds} rounds against Berth only of {@code images} small images at c=8 plus a
     * 2 s manifest GET at c=16, each followed by a full GC and the heap used after it. Growth is the
     * last round's figure minus the first's; the verdict is on the floor (see below) staying within 16 MiB.
     */
    void heapGrowth(int rounds, int images) throws Exception {
        Target b = targets.stream().filter(t -> t.name().equals("berth")).findFirst().orElse(null);
        if (b == null) return;
        System.out.println("== heap growth check (Berth only): " + rounds + " rounds");
        List<Long> after = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            smallImagesQuiet(b, 100 + r, images);
            manifestGetsQuiet(b, 100 + r, images);
            after.add(heapUsedMiB(b.pid(), true));
        }
        long growth = after.get(after.size() - 1) - after.get(0);
        // A leak raises the floor: one round's figure can also hold what a full GC keeps on purpose
        // (soft-referenced caches, pooled buffers), so the verdict compares the lowest figure of the
        // last third of the rounds with the lowest of the first third.
        int third = Math.max(1, after.size() / 3);
        long floorGrowth = Collections.min(after.subList(after.size() - third, after.size()))
                - Collections.min(after.subList(0, third));
        context.put("berth_heap_after_gc_per_round_mib", after);
        context.put("berth_heap_growth_mib", growth);
        context.put("berth_heap_floor_growth_mib", floorGrowth);
        context.put("berth_heap_growth_verdict", floorGrowth <= 16 ? "no growth (floor within 16 MiB)" : "GROWTH");
        System.out.println("   heap after full GC per round (MiB): " + after + "; last - first " + growth
                + " MiB; floor growth " + floorGrowth + " MiB");
    }

    void smallImagesQuiet(Target t, int rep, int images) throws Exception {
        int before = figures.size();
        smallImages(t, rep, images, 8);
        dropFiguresFrom(before, "small images c=8");
    }

    void manifestGetsQuiet(Target t, int rep, int images) throws Exception {
        manifestGets(t, rep, images, 16, 2, "library/bench-small-r" + rep + "-c8", "heap round GET");
    }

    /** The heap rounds are not table figures: take their samples back out. */
    void dropFiguresFrom(int before, String workload) {
        for (Figure f : figures.values()) {
            if (f.workload.equals(workload)) {
                List<Double> l = f.samples.get("berth");
                if (l != null && l.size() > reps) l.subList(reps, l.size()).clear();
            }
        }
    }

    void smallImages(Target t, int rep, int count, int concurrency) throws Exception {
        String repo = "library/bench-small-r" + rep + "-c" + concurrency;
        String w = "small images c=" + concurrency;
        List<String[]> prepared = new ArrayList<>();    // layer digest, config, config digest, manifest, manifest digest
        List<byte[]> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] layer = random(1_000_000L * (concurrency + 1) + 10_000L * rep + i, 4096);
            String ld = sha256(layer);
            String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"bench\":\""
                    + repo + ":" + i + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + ld + "\"]}}";
            String cd = sha256(config.getBytes(StandardCharsets.UTF_8));
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd
                    + "\",\"size\":" + config.getBytes(StandardCharsets.UTF_8).length + "},"
                    + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + ld
                    + "\",\"size\":4096}]}";
            prepared.add(new String[] {ld, config, cd, manifest, sha256(manifest.getBytes(StandardCharsets.UTF_8))});
            layers.add(layer);
        }
        List<Double> lat = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon());
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int k = i;
            fs.add(pool.submit(() -> {
                String[] p = prepared.get(k);
                long i0 = System.nanoTime();
                boolean good = pushBlob(t, repo, p[0], HttpRequest.BodyPublishers.ofByteArray(layers.get(k)))
                        && pushBlob(t, repo, p[2], HttpRequest.BodyPublishers.ofString(p[1]));
                if (good) {
                    HttpRequest put = HttpRequest.newBuilder(t.base().resolve("/v2/" + repo + "/manifests/t" + k))
                            .header("Content-Type", OCI_MANIFEST)
                            .PUT(HttpRequest.BodyPublishers.ofString(p[3])).build();
                    good = send(t, put, 201, "manifest PUT") != null;
                }
                if (good) { ok.incrementAndGet(); lat.add((System.nanoTime() - i0) / 1e6); }
                return null;
            }));
        }
        for (Future<?> f : fs) f.get(10, TimeUnit.MINUTES);
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        // Verify every tag outside the timed part.
        for (int i = 0; i < count; i++) {
            HttpRequest h = HttpRequest.newBuilder(t.base().resolve("/v2/" + repo + "/manifests/t" + i))
                    .header("Accept", OCI_MANIFEST).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> r = client.send(h, HttpResponse.BodyHandlers.discarding());
            String d = r.headers().firstValue("Docker-Content-Digest").orElse("");
            if (r.statusCode() != 200 || !d.equals(prepared.get(i)[4])) {
                fail(t, "verify manifest t" + i + ": status " + r.statusCode() + ", digest '" + d + "'");
            }
        }
        if (ok.get() == count) {
            record(w, "push", "images/s", true, t, ok.get() / s);
            record(w, "image p50", "ms", false, t, pct(lat, 50));
            record(w, "image p99", "ms", false, t, pct(lat, 99));
        }
    }

    void manifestGets(Target t, int rep, int tags, int concurrency, int seconds) throws Exception {
        // The tags pushed by the c=8 workload of the same repetition.
        manifestGets(t, rep, tags, concurrency, seconds, "library/bench-small-r" + rep + "-c8", "manifest GET c=" + concurrency);
    }

    void manifestGets(Target t, int rep, int tags, int concurrency, int seconds, String repo, String w) throws Exception {
        List<Double> lat = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon());
        long t0 = System.nanoTime(), deadline = t0 + seconds * 1_000_000_000L;
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            final int start = c;
            fs.add(pool.submit(() -> {
                List<Double> mine = new ArrayList<>();
                // Bounded in time (deadline) and in count (1e6 requests per thread).
                for (int i = start; i < 1_000_000 && System.nanoTime() < deadline; i += concurrency) {
                    HttpRequest g = HttpRequest.newBuilder(t.base().resolve("/v2/" + repo + "/manifests/t" + (i % tags)))
                            .header("Accept", OCI_MANIFEST).GET().build();
                    long r0 = System.nanoTime();
                    HttpResponse<byte[]> r;
                    try {
                        r = client.send(g, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (IOException e) {
                        fail(t, "manifest GET: " + e);
                        continue;
                    }
                    if (r.statusCode() == 200) { mine.add((System.nanoTime() - r0) / 1e6); ok.incrementAndGet(); }
                    else fail(t, "manifest GET: status " + r.statusCode());
                }
                lat.addAll(mine);
                return null;
            }));
        }
        for (Future<?> f : fs) f.get(seconds + 120L, TimeUnit.SECONDS);
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        if (w.startsWith("heap")) return;
        record(w, "GET", "req/s", true, t, ok.get() / s);
        record(w, "GET p50", "ms", false, t, pct(lat, 50));
        record(w, "GET p99", "ms", false, t, pct(lat, 99));
    }

    // ---------------------------------------------------------------- context

    void contextFigures() throws Exception {
        // One core's SHA-256 rate: 512 MiB through MessageDigest after a short warm-up.
        byte[] buf = random(1, 1 << 20);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 128; i++) md.update(buf);
        md.digest();
        long t0 = System.nanoTime();
        for (int i = 0; i < 512; i++) md.update(buf);
        md.digest();
        double sha = 512.0 * (1 << 20) / 1e6 / ((System.nanoTime() - t0) / 1e9);
        context.put("sha256_one_core_MBps", round(sha));

        double dd = ddFsync();
        context.put("dd_fsync_MBps", round(dd));
        System.out.printf("context: SHA-256 one core %.0f MB/s, dd conv=fsync %.0f MB/s; durable-write limit %.0f MB/s%n",
                sha, dd, Math.min(sha, dd));
    }

    /**
     * The disk's fsync'd write rate, as dd measures it (wall time of the whole dd, fsync included),
     * or -1. On this kind of VM it is mostly the rate at which the kernel gets fresh page-cache
     * pages, which moves between runs; it is measured again at the end.
     */
    double ddFsync() throws Exception {
        Path f = work.resolve("dd.bin");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("dd", "if=/dev/zero", "of=" + f, "bs=1M", "count=512", "conv=fsync")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        double dd = done && p.exitValue() == 0 ? 512.0 * (1 << 20) / 1e6 / ((System.nanoTime() - t0) / 1e9) : -1;
        if (!done) p.destroy();
        Files.deleteIfExists(f);
        return dd;
    }

    // ---------------------------------------------------------------- HTTP

    /** POST + PUT ?digest= with the whole body (Distribution has no single-request monolithic upload). */
    boolean pushBlob(Target t, String repo, String digest, HttpRequest.BodyPublisher body) throws Exception {
        HttpResponse<String> r = send(t, post(t, "/v2/" + repo + "/blobs/uploads/"), 202, "upload POST");
        if (r == null) return false;
        HttpRequest put = HttpRequest.newBuilder(withDigest(location(t, r), digest))
                .header("Content-Type", "application/octet-stream").PUT(body).build();
        return send(t, put, 201, "upload PUT") != null;
    }

    void verifyBlob(Target t, String repo, String digest, long size) throws Exception {
        HttpRequest h = HttpRequest.newBuilder(t.base().resolve("/v2/" + repo + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> r = client.send(h, HttpResponse.BodyHandlers.discarding());
        String d = r.headers().firstValue("Docker-Content-Digest").orElse("");
        long len = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (r.statusCode() != 200 || !d.equals(digest) || len != size) {
            fail(t, "verify blob " + digest + ": status " + r.statusCode() + ", digest '" + d + "', length " + len);
        }
    }

    HttpRequest post(Target t, String path) {
        return HttpRequest.newBuilder(t.base().resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** Sends, and returns the response when its status is the expected one; otherwise counts a failure. */
    HttpResponse<String> send(Target t, HttpRequest req, int expected, String what) throws Exception {
        HttpResponse<String> r;
        try {
            r = client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            fail(t, what + ": " + e);
            return null;
        }
        if (r.statusCode() != expected) {
            String b = r.body() == null ? "" : r.body();
            fail(t, what + ": status " + r.statusCode() + " " + b.substring(0, Math.min(200, b.length())));
            return null;
        }
        return r;
    }

    URI location(Target t, HttpResponse<?> r) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location"));
        return t.base().resolve(loc);
    }

    static URI withDigest(URI u, String digest) {
        String s = u.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + digest);
    }

    void fail(Target t, String message) {
        failures.get(t.name()).incrementAndGet();
        int n = failures.get(t.name()).get();
        if (failureSamples.size() < 50) failureSamples.add(t.name() + ": " + message);
        if (n <= 10) System.out.println("   FAIL " + t.name() + ": " + message);
        else if (n == 11) System.out.println("   FAIL " + t.name() + ": (further failures are only counted)");
    }

    // ---------------------------------------------------------------- zero-copy HTTP for the big bodies

    static final Map<String, String> OCTETS = Map.of("Content-Type", "application/octet-stream");

    /** A reply read by {@link #raw}: status, headers with lower-case names, and the body when it was small. */
    record RawReply(int status, Map<String, String> headers, String body) {
        String header(String name) { return headers.getOrDefault(name, ""); }
    }

    /**
     * One HTTP/1.1 request on its own loopback connection ({@code Connection: close}), the body sent
     * straight from a file region by {@code FileChannel.transferTo} (sendfile): the client copies
     * nothing and hashes nothing, so a push's rate is the server's. Java's HttpClient reads a file body
     * into 16 KiB buffers and holds big pushes at 150-220 MB/s here; curl reached 460-570 MB/s on Berth.
     */
    RawReply raw(URI url, String method, Map<String, String> headers, Path body, long offset, long length)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(url.getRawPath());
        if (url.getRawQuery() != null) head.append('?').append(url.getRawQuery());
        head.append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append(':').append(url.getPort())
                .append("\r\nConnection: close\r\nContent-Length: ").append(body == null ? 0 : length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                new java.net.InetSocketAddress(loopback(url.toString()).getHost(), url.getPort()))) {
            ByteBuffer h = ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            while (h.hasRemaining()) ch.write(h);
            if (body != null) {
                try (java.nio.channels.FileChannel fc = java.nio.channels.FileChannel.open(body)) {
                    for (long sent = 0; sent < length; ) {
                        sent += fc.transferTo(offset + sent, length - sent, ch);
                    }
                }
            }
            ch.shutdownOutput();
            java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (ch.read(in.clear()) > 0 && reply.size() < (1 << 20)) reply.write(in.array(), 0, in.position());
            return parseReply(reply.toString(StandardCharsets.ISO_8859_1));
        }
    }

    static RawReply parseReply(String text) {
        int end = text.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) headers.put(lines[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        return new RawReply(status.length > 1 ? Integer.parseInt(status[1]) : -1, headers,
                end < 0 ? "" : text.substring(end + 4));
    }

    /** {@link #raw}, counting a failure unless the status is {@code expected}; null then. */
    RawReply rawSend(Target t, URI url, String method, Map<String, String> headers, Path body, long offset,
                     long length, int expected, String what) {
        RawReply r;
        try {
            r = raw(url, method, headers, body, offset, length);
        } catch (IOException e) {
            fail(t, what + ": " + e);
            return null;
        }
        if (r.status() != expected) {
            fail(t, what + ": status " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
            return null;
        }
        return r;
    }

    URI location(Target t, RawReply r) {
        String loc = r.header("location");
        if (loc.isEmpty()) throw new IllegalStateException("no Location");
        return t.base().resolve(loc);
    }

    /**
     * GET on its own connection, the body read into one direct 1 MiB buffer and counted, never
     * copied into the heap: MB/s from first byte sent to last byte read, or -1 when the status or the
     * length is wrong.
     */
    double rawDrain(URI url, long size) throws IOException {
        long t0 = System.nanoTime();
        String head = "GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ':' + url.getPort()
                + "\r\nConnection: close\r\n\r\n";
        long body = 0;
        int status = -1;
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                new java.net.InetSocketAddress(loopback(url.toString()).getHost(), url.getPort()))) {
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
            java.io.ByteArrayOutputStream start = new java.io.ByteArrayOutputStream();
            int headEnd = -1;
            while (headEnd < 0) {
                in.clear();
                if (ch.read(in) < 0) break;
                in.flip();
                byte[] b = new byte[in.remaining()];
                in.get(b);
                start.write(b, 0, b.length);
                String s = start.toString(StandardCharsets.ISO_8859_1);
                headEnd = s.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    status = parseReply(s).status();
                    body = start.size() - (headEnd + 4);
                }
            }
            for (int n; (n = ch.read(in.clear())) >= 0; ) body += n;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (status != 200 || body != size) {
            System.out.println("   GET " + url + ": status " + status + ", " + body + " of " + size + " bytes");
            return -1;
        }
        return size / 1e6 / s;
    }

    // ---------------------------------------------------------------- content, numbers, output

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code size} seeded random bytes to {@code f} (once) and returns their digest. */
    static String ensureFile(Path f, long seed, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        boolean write = !Files.exists(f) || Files.size(f) != size;
        try (OutputStream out = write ? Files.newOutputStream(f) : OutputStream.nullOutputStream()) {
            for (long n = 0; n < size; n += buf.length) {
                rnd.nextBytes(buf);
                int len = (int) Math.min(buf.length, size - n);
                md.update(buf, 0, len);
                out.write(buf, 0, len);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Nearest-rank percentile; NaN when there are no samples. */
    static double pct(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int idx = (int) Math.ceil(p / 100.0 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(v.size() - 1, idx)));
    }

    static double median(List<Double> v) { return pct(v, 50); }

    static double round(double d) { return Math.round(d * 100) / 100.0; }

    static double cpuSeconds(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;   // utime + stime, USER_HZ = 100
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of all of a target's processes. */
    static double cpuSeconds(Target t) {
        return t.pids().stream().mapToDouble(RegistryBench::cpuSeconds).sum();
    }

    /** The 1, 5 and 15 minute load averages (/proc/loadavg); the machine is shared, so every sample records it. */
    static List<Double> loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (Exception e) {
            return List.of(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** A Java server (Berth, S3Proxy) rather than Distribution: jcmd can read its heap. */
    static boolean isJvm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("java");
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A process that serves both targets (S3Proxy, nginx, PostgreSQL), its CPU counted per sample
     * with its descendants (nginx's workers, PostgreSQL's backends), those whose command line holds
     * {@code match} when one is given (the bench's own database on a shared PostgreSQL).
     * Given as {@code NAME=PID} or {@code NAME=PID:MATCH}.
     */
    record Aux(String name, long pid, String match) {
        static Aux parse(String spec) {
            int eq = spec.indexOf('='), colon = spec.indexOf(':', eq);
            String pid = colon < 0 ? spec.substring(eq + 1) : spec.substring(eq + 1, colon);
            return new Aux(spec.substring(0, eq), Long.parseLong(pid), colon < 0 ? "" : spec.substring(colon + 1));
        }

        double cpuSeconds() {
            double s = RegistryBench.cpuSeconds(pid);
            for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
                if (match.isEmpty() || cmdline(h.pid()).contains(match)) {
                    double c = RegistryBench.cpuSeconds(h.pid());
                    if (!Double.isNaN(c)) s += c;
                }
            }
            return s;
        }

        /** /proc/PID/cmdline as one line: a PostgreSQL backend rewrites it to "postgres: ... USER DB ...". */
        static String cmdline(long pid) {
            try {
                return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            } catch (Exception e) {
                return "";
            }
        }
    }

    static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (Exception e) { /* process gone */ }
        return -1;
    }

    static java.util.concurrent.ThreadFactory daemon() {
        return r -> { Thread th = new Thread(r); th.setDaemon(true); return th; };
    }

    /** The figure {@code name} of the streamed-push workload (its push or its GET), or null when it did not run. */
    Figure streamed(String name) {
        return figures.values().stream().filter(f -> f.name.equals(name) && f.workload.startsWith("streamed")).findFirst().orElse(null);
    }

    void printSummary() {
        System.out.println();
        String a = targets.get(0).name(), bn = targets.get(1).name();
        System.out.printf("%-28s %-12s %-9s %14s %14s %8s%n", "workload", "figure", "unit", a, bn,
                Character.toUpperCase(bn.charAt(0)) + "/" + Character.toUpperCase(a.charAt(0)));
        System.out.println("(medians of " + reps + " samples each; a figure with fewer samples had failures and says so)");
        for (Figure f : figures.values()) {
            double d = median(f.samples.getOrDefault(a, List.of()));
            double b = median(f.samples.getOrDefault(bn, List.of()));
            int nd = f.samples.getOrDefault(a, List.of()).size();
            int nb = f.samples.getOrDefault(bn, List.of()).size();
            String missing = nd < reps || nb < reps ? "  ONLY " + nd + "+" + nb + " SAMPLES" : "";
            System.out.printf("%-28s %-12s %-9s %14.2f %14.2f %8.2f%s%s%n", f.workload, f.name, f.unit, d, b, b / d,
                    f.higherIsBetter ? "" : "  (lower is better)", missing);
        }
        System.out.println();
        // The client must not be the bottleneck: its CPU next to the server's, summed over the samples.
        System.out.printf("%-28s %-13s %8s %14s %14s%n", "workload", "target", "wall s", "server CPU s", "client CPU s");
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Map<String, Object> c : cpu) {
            double[] v = sums.computeIfAbsent(c.get("workload") + "\u0000" + c.get("target"), k -> new double[3]);
            v[0] += (Double) c.get("wall_s"); v[1] += (Double) c.get("server_cpu_s"); v[2] += (Double) c.get("client_cpu_s");
        }
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            String[] k = e.getKey().split("\u0000");
            System.out.printf("%-28s %-13s %8.1f %14.1f %14.1f%n", k[0], k[1], e.getValue()[0], e.getValue()[1], e.getValue()[2]);
        }
        Figure push = streamed("push");
        Object sha = context.get("sha256_one_core_MBps");
        if (push != null && sha instanceof Double shaRate) {
            // The stricter limit: the higher of the two dd figures, start and end of the run.
            double ddEnd = (Double) context.get("dd_fsync_end_MBps");
            double limit = Math.min(shaRate, Math.max(ddEnd, (Double) context.get("dd_fsync_MBps")));
            context.put("durable_write_limit_MBps", round(limit));
            StringBuilder line = new StringBuilder(String.format(
                    "single-stream push against the durable-write limit %.0f MB/s (dd at the end %.0f MB/s):", limit, ddEnd));
            for (Target t : targets) {
                double rate = median(push.samples.getOrDefault(t.name(), List.of()));
                context.put(t.name() + "_push_of_limit", round(rate / limit));
                line.append(String.format(" %s %.0f%%", t.name(), 100 * rate / limit));
            }
            System.out.println(line);
        }
        Figure g = streamed("GET");
        if (g != null && !nginxGet.isEmpty()) {
            StringBuilder line = new StringBuilder("blob GET against nginx's GET of the same stored file (same client):");
            for (Target t : targets) {
                List<Double> ng = nginxGet.getOrDefault(t.name(), List.of());
                if (ng.isEmpty()) continue;
                double ratio = median(g.samples.getOrDefault(t.name(), List.of())) / median(ng);
                context.put(t.name() + "_nginx_get_MBps", round(median(ng)));
                context.put(t.name() + "_get_of_nginx", round(ratio));
                line.append(String.format(" %s %.2f (nginx %.0f MB/s)", t.name(), ratio, median(ng)));
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("context: " + context);
        System.out.println("memory (RSS MiB after each workload): " + memory);
        System.out.println("failures: " + failures);
        for (String s : failureSamples) System.out.println("  " + s);
    }

    String json() {
        StringBuilder sb = new StringBuilder("{\n  \"context\": ").append(obj(context)).append(",\n  \"figures\": [\n");
        int i = 0;
        for (Figure f : figures.values()) {
            String a = targets.get(0).name(), bn = targets.get(1).name();
            double d = median(f.samples.getOrDefault(a, List.of()));
            double b = median(f.samples.getOrDefault(bn, List.of()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", f.workload); m.put("figure", f.name); m.put("unit", f.unit);
            m.put("higher_is_better", f.higherIsBetter);
            m.put(a + "_median", round(d)); m.put(bn + "_median", round(b)); m.put("ratio", round(b / d));
            m.put("samples", f.samples);
            sb.append("    ").append(obj(m)).append(++i < figures.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"memory\": ").append(val(memory)).append(",\n  \"cpu\": ").append(val(cpu))
          .append(",\n  \"failures\": ").append(val(failures)).append(",\n  \"failure_samples\": ")
          .append(val(failureSamples)).append("\n}\n");
        return sb.toString();
    }

    static String obj(Map<?, ?> m) {
        StringBuilder sb = new StringBuilder("{");
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (i++ > 0) sb.append(", ");
            sb.append(val(String.valueOf(e.getKey()))).append(": ").append(val(e.getValue()));
        }
        return sb.append("}").toString();
    }

    static String val(Object o) {
        if (o instanceof Map<?, ?> m) return obj(m);
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) sb.append(i > 0 ? ", " : "").append(val(l.get(i)));
            return sb.append("]").toString();
        }
        if (o instanceof Double d) return d.isNaN() || d.isInfinite() ? "null" : String.valueOf(d);
        if (o instanceof Number || o instanceof Boolean) return String.valueOf(o);
        if (o instanceof AtomicInteger a) return String.valueOf(a.get());
        String s = String.valueOf(o).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "\"" + s + "\"";
    }
}
