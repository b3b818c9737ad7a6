import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob HEAD latency with a Bearer token against Basic credentials, one keep-alive HTTP/1.1
 * connection, sequential (issue 15). Loopback only. Pushes one small blob to library/headbench,
 * takes a token from /service/token, then alternates blocks of HEADs with each credential.
 *   java bench/src/HeadLatency.java http://127.0.0.1:PORT USER PASSWORD [ROUNDS]
 * Prints the median and p90 of each, over ROUNDS (default 5) blocks of 2000 after 3000 warm-up each.
 */
public class HeadLatency {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        if (!base.getHost().equals("127.0.0.1") && !base.getHost().equals("localhost")) {
            throw new IllegalArgumentException("loopback only");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":" + args[2]).getBytes(StandardCharsets.UTF_8));
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        byte[] blob = "head latency bench blob\n".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        String repo = "library/headbench";
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/?digest=" + digest))
                .header("Authorization", basic).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        if (post.statusCode() != 201) {
            throw new IllegalStateException("blob push: " + post.statusCode() + " " + post.body());
        }
        HttpResponse<String> tok = http.send(HttpRequest.newBuilder(base.resolve("/service/token?service=berth&scope=repository:" + repo + ":pull"))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(tok.body());
        if (tok.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token: " + tok.statusCode() + " " + tok.body());
        }
        String bearer = "Bearer " + m.group(1);
        URI head = base.resolve("/v2/" + repo + "/blobs/" + digest);

        block(http, head, bearer, 3000);
        block(http, head, basic, 3000);
        long[] bearerAll = new long[0];
        long[] basicAll = new long[0];
        for (int r = 0; r < rounds; r++) {
            bearerAll = concat(bearerAll, block(http, head, bearer, 2000));
            basicAll = concat(basicAll, block(http, head, basic, 2000));
        }
        System.out.printf("blob HEAD, one connection, %d x 2000 each: Bearer p50 %.3f ms p90 %.3f ms; Basic p50 %.3f ms p90 %.3f ms%n",
                rounds, pct(bearerAll, 50), pct(bearerAll, 90), pct(basicAll, 50), pct(basicAll, 90));
    }

    private static long[] block(HttpClient http, URI uri, String auth, int n) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", auth)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            int code = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            t[i] = System.nanoTime() - t0;
            if (code != 200) {
                throw new IllegalStateException("HEAD " + uri + ": " + code);
            }
        }
        return t;
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
}
