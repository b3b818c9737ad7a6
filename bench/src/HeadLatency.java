import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob HEAD latency of a warm registry on one keep-alive HTTP/1.1 connection, sequential, with
 * several kinds of credentials side by side (issue 15). Loopback only; bounded in count and time.
 *
 * <pre>
 *   java bench/src/HeadLatency.java http://127.0.0.1:PORT USER PASSWORD [ROUNDS]
 *       Berth: pushes a small blob to library/headbench with Basic, then Bearer (a token from Berth's
 *       /service/token, taken with Basic for repository:library/headbench:pull, as docker does after
 *       a login), Basic and anonymous (library is public).
 *   java bench/src/HeadLatency.java --url http://127.0.0.1:PORT --label NAME [--repo R]
 *       [--push-auth HEADER] [--berth-login USER:PASSWORD] [--variant NAME=HEADER]...
 *       [--rounds 5] [--block 2000] [--warmup 3000] [--max-seconds 600] [--out FILE]
 *       Any registry: --push-auth pushes the blob (POST, then PUT ?digest= with the body; an empty
 *       value: without credentials); each
 *       --variant is an Authorization header value (empty: none); --berth-login adds the variant
 *       "bearer" with a token from Berth's /service/token (a fresh one before every block: Berth's
 *       tokens live 300 s).
 * </pre>
 * Each variant gets --warmup HEADs first (not counted), then the variants alternate in blocks of
 * --block HEADs, --rounds times; prints the p50 and p90 of each variant over all its blocks, and with
 * --out appends a TSV row per variant. The client is java.net.http's HttpClient over HTTP/1.1 (one
 * connection: it reconnects by itself when the server closes one, as Payara does every 250 requests).
 */
public class HeadLatency {
    record Variant(String name, String header) {
    }

    public static void main(String[] args) throws Exception {
        String url = null, label = "registry", repo = "library/headbench", pushAuth = null, berthLogin = null, out = null;
        int rounds = 5, block = 2000, warmup = 3000, maxSeconds = 600;
        List<Variant> variants = new ArrayList<>();
        if (args.length >= 3 && !args[0].startsWith("--")) {
            url = args[0];
            label = "berth";
            String basic = basic(args[1] + ":" + args[2]);
            pushAuth = basic;
            berthLogin = args[1] + ":" + args[2];
            variants.add(new Variant("basic", basic));
            variants.add(new Variant("anonymous", ""));
            rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        } else {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = args[++i];
                    case "--label" -> label = args[++i];
                    case "--repo" -> repo = args[++i];
                    case "--push-auth" -> pushAuth = args[++i];
                    case "--berth-login" -> berthLogin = args[++i];
                    case "--variant" -> {
                        String v = args[++i];
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            usage("--variant NAME=HEADER");
                        }
                        variants.add(new Variant(v.substring(0, eq), v.substring(eq + 1)));
                    }
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--block" -> block = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
                    case "--out" -> out = args[++i];
                    default -> usage("unknown argument " + args[i]);
                }
            }
        }
        if (url == null) {
            usage("a URL is required");
        }
        if (rounds < 1 || rounds > 50 || block < 100 || block > 100_000 || warmup < 0 || warmup > 200_000 || maxSeconds < 1 || maxSeconds > 3600) {
            usage("bounds: --rounds 1..50, --block 100..100000, --warmup 0..200000, --max-seconds 1..3600");
        }
        URI base = URI.create(url);
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback targets only, not " + base.getHost());
        }
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        byte[] blob = "head latency bench blob\n".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        if (pushAuth != null) {
            push(http, base, repo, digest, blob, pushAuth);
        }
        if (berthLogin != null) {
            variants.add(0, new Variant("bearer", null));   // a fresh token before every block
        }
        if (variants.isEmpty()) {
            usage("no variant: give --variant NAME=HEADER or --berth-login");
        }
        URI head = base.resolve("/v2/" + repo + "/blobs/" + digest);
        String finalLogin = berthLogin, finalRepo = repo;
        for (Variant v : variants) {
            block(http, head, auth(http, base, v, finalLogin, finalRepo), warmup, deadline);
        }
        List<long[]> all = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            all.add(new long[0]);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                all.set(i, concat(all.get(i), block(http, head, auth(http, base, v, finalLogin, finalRepo), block, deadline)));
            }
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s blob HEAD, one connection, %d x %d each after %d warm-up:",
                label, rounds, block, warmup));
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < variants.size(); i++) {
            long[] t = all.get(i);
            line.append(String.format(Locale.ROOT, " %s p50 %.3f ms p90 %.3f ms;", variants.get(i).name(), pct(t, 50), pct(t, 90)));
            rows.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f%n", label, variants.get(i).name(), t.length,
                    pct(t, 50), pct(t, 90), pct(t, 99)));
        }
        System.out.println(line);
        if (out != null) {
            Path p = Path.of(out);
            if (!Files.exists(p) || Files.size(p) == 0) {
                rows.insert(0, "label\tvariant\tn\tp50_ms\tp90_ms\tp99_ms\n");
            }
            Files.writeString(p, rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static String auth(HttpClient http, URI base, Variant v, String berthLogin, String repo) throws Exception {
        if (v.header() != null) {
            return v.header();
        }
        HttpResponse<String> tok = http.send(HttpRequest.newBuilder(base.resolve("/service/token?service=berth&scope=repository:" + repo + ":pull"))
                .header("Authorization", basic(berthLogin)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(tok.body());
        if (tok.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token: " + tok.statusCode() + " " + tok.body());
        }
        return "Bearer " + m.group(1);
    }

    private static void push(HttpClient http, URI base, String repo, String digest, byte[] blob, String auth) throws Exception {
        HttpRequest.Builder postRequest = HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody());
        HttpRequest.Builder putRequest = HttpRequest.newBuilder().header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob));
        if (!auth.isEmpty()) {   // empty: a registry without authentication
            postRequest.header("Authorization", auth);
            putRequest.header("Authorization", auth);
        }
        HttpResponse<String> post = http.send(postRequest.build(), HttpResponse.BodyHandlers.ofString());
        String location = post.headers().firstValue("Location").orElse(null);
        if (post.statusCode() != 202 || location == null) {
            throw new IllegalStateException("blob upload POST: " + post.statusCode() + " " + post.body());
        }
        URI upload = base.resolve(location);
        URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<String> r = http.send(putRequest.uri(put).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("blob upload PUT: " + r.statusCode() + " " + r.body());
        }
    }

    private static long[] block(HttpClient http, URI uri, String auth, int n, long deadline) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (!auth.isEmpty()) {
            b.header("Authorization", auth);
        }
        HttpRequest req = b.build();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("time limit reached");
            }
            long t0 = System.nanoTime();
            int code = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            t[i] = System.nanoTime() - t0;
            if (code != 200) {
                throw new IllegalStateException("HEAD " + uri + ": " + code);
            }
        }
        return t;
    }

    private static String basic(String login) {
        return "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double pct(long[] t, int p) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)] / 1e6;
    }

    private static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: java bench/src/HeadLatency.java http://127.0.0.1:PORT USER PASSWORD [ROUNDS]\n"
                + "   or: java bench/src/HeadLatency.java --url U --label L [--repo R] [--push-auth H] [--berth-login USER:PASSWORD]"
                + " [--variant NAME=HEADER]... [--rounds 5] [--block 2000] [--warmup 3000] [--max-seconds 600] [--out FILE]");
        System.exit(2);
    }
}
