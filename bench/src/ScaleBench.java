import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale benchmarks of issue 19, on {@link RegistryBench}'s workloads, interleaving, medians and
 * JSON. Started by bench/scale.sh, which compiles it with RegistryBench.java:
 * <ul>
 * <li>{@code --mode s3}: A = Distribution on S3Proxy, B = Berth on the same S3Proxy (a bucket each).
 *     Small images at c=16, manifest GETs at c=16, a streamed 64 MiB push with its GET and HEADs.
 * <li>{@code --mode nodes}: A = one Berth node behind nginx, B = two nodes behind another nginx
 *     (round robin), both on one PostgreSQL database and one data root, the one node being one of
 *     the two. Small images at c=16 and manifest GETs at c=16.
 * </ul>
 * Options as RegistryBench's ({@code --a URL --a-name N --a-pids P,P --b ... --reps N --aux
 * NAME=PID[:MATCH],... --work DIR --out FILE --note TEXT}) plus {@code --images N} (per sample, 200)
 * and {@code --get-seconds S} (5).
 */
final class ScaleBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = RegistryBench.options(args);
        String mode = a.getOrDefault("--mode", "");
        if (!mode.equals("s3") && !mode.equals("nodes")) throw new IllegalArgumentException("--mode s3|nodes");
        RegistryBench b = RegistryBench.fromOptions(a);
        ScaleBench s = new ScaleBench(b, mode.equals("nodes"));
        s.images = Integer.parseInt(a.getOrDefault("--images", "200"));
        s.getSeconds = Integer.parseInt(a.getOrDefault("--get-seconds", "5"));
        if (s.images < 1 || s.images > 5000 || s.getSeconds < 1 || s.getSeconds > 60) {
            throw new IllegalArgumentException("--images 1..5000, --get-seconds 1..60");
        }
        s.run();
        System.exit(b.finish(a));
    }

    final RegistryBench b;
    final boolean nodes;
    int images = 200;
    int getSeconds = 5;

    ScaleBench(RegistryBench b, boolean nodes) {
        this.b = b;
        this.nodes = nodes;
    }

    /**
     * In nodes mode both targets share one database and one data root: each pushes its own
     * repositories and its own content (repetition numbers 100 apart; the content's seeds follow
     * them), so that no push finds a blob the other target stored.
     */
    int rep(RegistryBench.Target t, int rep) {
        return nodes ? rep + 100 * b.targets.indexOf(t) : rep;
    }

    static String smallRepo(int rep) {
        return "library/bench-small-r" + rep + "-c16";
    }

    void run() throws Exception {
        warmUp();
        b.heapSnapshot("warm-up");
        b.workload("small images c=16", (t, rep) -> b.smallImages(t, rep(t, rep), images, 16));
        b.workload("manifest GET c=16", (t, rep) -> b.manifestGets(t, rep(t, rep), images, 16, getSeconds,
                smallRepo(rep(t, rep)), "manifest GET c=16"));
        if (!nodes) b.workload("streamed push + GET + HEAD", (t, rep) -> b.streamedPushPullHead(t, rep, 64L << 20, 300));
        b.printSummary();
        printNodeShares();
    }

    /**
     * Untimed, per target, its figures dropped: in s3 mode one streamed 64 MiB push with its GETs
     * and HEADs; rounds of 200 small images at c=16 until a round's server CPU is within 10% of
     * the one before (3 to 8 rounds, 6 to 10 in nodes mode: the JIT settling, on both nodes of B); 3 s of
     * manifest GETs at c=16 (8 s in nodes mode).
     */
    void warmUp() throws Exception {
        int warm = RegistryBench.WARM_UP_REP;
        for (RegistryBench.Target t : b.targets) {
            if (!nodes) b.streamedPushPullHead(t, warm, 64L << 20, 300);
            // Nodes mode: at least 6 rounds; with 3, the pushes still sped up from sample to sample.
            b.settle(t, 16, rep(t, warm), nodes ? 6 : 3, nodes ? 10 : 8);
            // Longer in nodes mode: B's requests are split over two JVMs, each compiling its own code.
            b.manifestGets(t, rep(t, warm), 200, 16, nodes ? 8 : 3, smallRepo(rep(t, warm)), "warm-up GET");
        }
        b.figures.clear();
        System.out.println("warm-up done, failures so far: " + b.failures);
    }

    /** Nodes mode: how the two nodes of B shared the server CPU per workload (round robin should give about half each). */
    void printNodeShares() {
        Map<String, double[]> byWorkload = new LinkedHashMap<>();
        for (Map<String, Object> c : b.cpu) {
            if (!(c.get("server_cpu_s_by_pid") instanceof List<?> l)) continue;
            double[] sum = byWorkload.computeIfAbsent(c.get("workload") + " (" + c.get("target") + ")", k -> new double[l.size()]);
            for (int i = 0; i < l.size(); i++) sum[i] += (Double) l.get(i);
        }
        for (Map.Entry<String, double[]> e : byWorkload.entrySet()) {
            List<String> parts = new ArrayList<>();
            for (double v : e.getValue()) parts.add(String.format("%.1f", v));
            System.out.println("server CPU s per node, " + e.getKey() + ": " + String.join(" / ", parts));
        }
    }
}
