import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warm-up of a freshly started registry (issue 15): how many sequential requests until it answers
 * at its steady pace. Loopback only; every loop bounded in count and in time.
 *
 * <pre>
 *   java bench/src/WarmUp.java --url http://127.0.0.1:PORT --label NAME --kind v2|blob
 *        [--auth-header 'Bearer ...'] [--berth-login USER:PASSWORD] [--berth-service berth]
 *        [--push --push-auth 'Basic ...'|'Bearer ...'] [--repo library/warmup]
 *        [--n 10000] [--block 100] [--conns 300] [--max-seconds 300] [--out FILE] [--series FILE]
 * </pre>
 *
 * Kinds: {@code v2} is {@code GET /v2/} (anonymous unless --auth-header: 401 from Berth, the floor and
 * a Distribution with token auth); {@code blob} is a HEAD of one small blob in --repo, with the
 * --auth-header given, or (--berth-login) a Bearer token taken from Berth's {@code /service/token}
 * with Basic credentials for {@code repository:REPO:pull}, as docker does after a login. --push
 * pushes the blob first (POST, then PUT ?digest= with the body) with --push-auth.
 *
 * <p>Two series, one after the other: --n requests on one keep-alive HTTP/1.1 connection, then
 * --conns requests each on a new connection (connect, request, answer, close; the time includes the
 * connect). The client is a raw socket (TCP_NODELAY, one write per request, the answer's head parsed,
 * its body skipped by Content-Length or chunks), warmed up first against a responder inside this
 * process, so the client's own JIT warm-up is not counted against the server; the p50 of that
 * responder ("client floor") is printed too.
 *
 * <p>Figures: p50 of each block of --block requests; final p50 = median of the last 20% of the
 * keep-alive series; "steady after" = the number of requests before the first block from which the
 * running median of five blocks' p50 stays within 10% of the final p50 (a few noisy blocks do not
 * count); "first within" = the number of requests before the first block whose p50 is within 10%; "warm-up excess" = the sum over
 * the blocks of (block p50 - final p50) x block size, the time the warm-up cost at p50 pace (can be
 * slightly negative on a noisy machine); first-block p50; new-connection p50 over the first 10% and
 * over the second half (warm). One line on
 * stdout; with --out a TSV row (a header when the file is new); with --series every block's p50.
 */
public class WarmUp {
    static final String BLOB_TEXT = "berth bench warm-up blob\n";

    public static void main(String[] args) throws Exception {
        String url = null, label = null, kind = null, authHeader = null, berthLogin = null, pushAuth = null;
        String berthService = "berth", repo = "library/warmup", out = null, series = null;
        boolean push = false;
        int n = 10000, block = 100, conns = 300, maxSeconds = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--label" -> label = args[++i];
                case "--kind" -> kind = args[++i];
                case "--auth-header" -> authHeader = args[++i];
                case "--berth-login" -> berthLogin = args[++i];
                case "--berth-service" -> berthService = args[++i];
                case "--push" -> push = true;
                case "--push-auth" -> pushAuth = args[++i];
                case "--repo" -> repo = args[++i];
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--block" -> block = Integer.parseInt(args[++i]);
                case "--conns" -> conns = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
                case "--out" -> out = args[++i];
                case "--series" -> series = args[++i];
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (url == null || label == null || kind == null || !(kind.equals("v2") || kind.equals("blob"))) {
            usage("--url, --label and --kind v2|blob are required");
        }
        if (n < 10 * block || n > 200_000 || block < 10 || conns < 10 || conns > 20_000 || maxSeconds < 1 || maxSeconds > 3600) {
            usage("bounds: --block >= 10, 10 x --block <= --n <= 200000, 10 <= --conns <= 20000, --max-seconds 1..3600");
        }
        URI base = URI.create(url);
        InetAddress address = InetAddress.getByName(base.getHost());
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback targets only, not " + base.getHost());
        }
        int port = base.getPort() > 0 ? base.getPort() : 80;
        String host = base.getHost() + ":" + port;
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;

        byte[] blob = BLOB_TEXT.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));

        // The client's own warm-up, against a responder in this process (no server request counted).
        double[] clientFloor = clientWarmUp(deadline);

        if (kind.equals("blob") && push) {
            pushBlob(address, port, host, repo, digest, blob, pushAuth);
        }
        String authKind = "anonymous";
        if (berthLogin != null) {
            authHeader = berthToken(address, port, host, berthLogin, berthService, repo);
            authKind = "bearer";
        } else if (authHeader != null) {
            authKind = authHeader.substring(0, authHeader.indexOf(' ') > 0 ? authHeader.indexOf(' ') : authHeader.length()).toLowerCase(Locale.ROOT);
        }
        String method = kind.equals("v2") ? "GET" : "HEAD";
        String path = kind.equals("v2") ? "/v2/" : "/v2/" + repo + "/blobs/" + digest;
        int expect = kind.equals("blob") || authHeader != null ? 200 : 401;
        byte[] request = request(method, path, host, authHeader, null, 0);

        long started = System.nanoTime();
        Series keepAlive = keepAlive(address, port, request, method.equals("HEAD"), expect, n, deadline);
        Series newConn = newConnections(address, port, request, method.equals("HEAD"), expect, conns, deadline);
        double elapsed = (System.nanoTime() - started) / 1e9;

        long[] ka = keepAlive.samples;
        int blocks = ka.length / block;
        double[] blockP50 = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            blockP50[b] = p50(Arrays.copyOfRange(ka, b * block, (b + 1) * block));
        }
        double finalP50 = p50(Arrays.copyOfRange(ka, ka.length - Math.max(1, ka.length / 5), ka.length));
        // "Stays within" is judged on the running median of five blocks (fewer at the ends), so that a
        // few noisy blocks (a GC, another process on the 2 cores) late in the series do not move it by thousands.
        int lastOutside = -1, firstWithin = -1;
        double excessMs = 0;
        for (int b = 0; b < blocks; b++) {
            double[] window = Arrays.copyOfRange(blockP50, Math.max(0, b - 2), Math.min(blocks, b + 3));
            Arrays.sort(window);
            double smoothed = window[(window.length - 1) / 2];
            if (Math.abs(smoothed - finalP50) > 0.10 * finalP50) {
                lastOutside = b;
            }
            if (firstWithin < 0 && Math.abs(blockP50[b] - finalP50) <= 0.10 * finalP50) {
                firstWithin = b;
            }
            excessMs += (blockP50[b] - finalP50) * block;
        }
        int steadyAfter = (lastOutside + 1) * block;
        long[] nc = newConn.samples;
        double ncFirst = p50(Arrays.copyOfRange(nc, 0, Math.max(1, nc.length / 10)));
        double ncWarm = p50(Arrays.copyOfRange(nc, nc.length / 2, nc.length));
        boolean complete = ka.length == n && nc.length == conns;

        System.out.printf(Locale.ROOT, "%s %s %s %s: steady after %d requests (first within 10%%: %d), first block p50 %.3f ms,"
                        + " final p50 %.3f ms, warm-up excess %.0f ms; keep-alive %d requests, %d reconnects; new connection each: first %d p50 %.3f ms,"
                        + " warm p50 %.3f ms (%d requests); client floor p50 %.3f / %.3f ms; %.1f s%s%n",
                label, kind, authKind, method, steadyAfter, firstWithin < 0 ? -1 : firstWithin * block, blocks > 0 ? blockP50[0] : Double.NaN,
                finalP50, excessMs, ka.length, keepAlive.reconnects, Math.max(1, nc.length / 10), ncFirst, ncWarm, nc.length,
                clientFloor[0], clientFloor[1], elapsed, complete ? "" : " (STOPPED AT THE TIME LIMIT)");
        if (out != null) {
            Path p = Path.of(out);
            boolean fresh = !Files.exists(p) || Files.size(p) == 0;
            StringBuilder row = new StringBuilder();
            if (fresh) {
                row.append("label\tkind\tauth\tn\tblock\tsteady_after\tfirst_within\tfirst_block_p50_ms\tfinal_p50_ms\texcess_ms"
                        + "\tnc_n\tnc_first_p50_ms\tnc_warm_p50_ms\tclient_p50_ms\tclient_nc_p50_ms\treconnects\tcomplete\n");
            }
            row.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.0f\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%s%n",
                    label, kind, authKind, ka.length, block, steadyAfter, firstWithin < 0 ? -1 : firstWithin * block,
                    blocks > 0 ? blockP50[0] : Double.NaN, finalP50, excessMs, nc.length, ncFirst, ncWarm, clientFloor[0], clientFloor[1],
                    keepAlive.reconnects, complete));
            Files.writeString(p, row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (series != null) {
            StringBuilder rows = new StringBuilder();
            for (int b = 0; b < blocks; b++) {
                rows.append(String.format(Locale.ROOT, "%s\t%s\tkeep-alive\t%d\t%.3f%n", label, kind, b * block, blockP50[b]));
            }
            int ncBlock = Math.max(10, block / 4);
            for (int b = 0; b + ncBlock <= nc.length; b += ncBlock) {
                rows.append(String.format(Locale.ROOT, "%s\t%s\tnew-connection\t%d\t%.3f%n", label, kind, b, p50(Arrays.copyOfRange(nc, b, b + ncBlock))));
            }
            Files.writeString(Path.of(series), rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (!complete) {
            System.exit(3);
        }
    }

    record Series(long[] samples, int reconnects) {
    }

    /** n requests on one connection (a new one only if the server closes it); stops at the deadline. */
    static Series keepAlive(InetAddress address, int port, byte[] request, boolean head, int expect, int n, long deadline) throws IOException {
        long[] t = new long[n];
        int done = 0, reconnects = 0;
        Connection c = Connection.open(address, port);
        try {
            while (done < n && System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                c.out.write(request);
                Response r = c.read(head);
                t[done++] = System.nanoTime() - t0;
                check(r, expect);
                if (r.close) {
                    c.close();
                    c = Connection.open(address, port);
                    reconnects++;
                }
            }
        } finally {
            c.close();
        }
        return new Series(Arrays.copyOf(t, done), reconnects);
    }

    /** n requests, each on a new connection: connect, request, answer, close; stops at the deadline. */
    static Series newConnections(InetAddress address, int port, byte[] request, boolean head, int expect, int n, long deadline) throws IOException {
        long[] t = new long[n];
        int done = 0;
        while (done < n && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            Connection c = Connection.open(address, port);
            try {
                c.out.write(request);
                Response r = c.read(head);
                t[done++] = System.nanoTime() - t0;
                check(r, expect);
            } finally {
                c.close();
            }
        }
        return new Series(Arrays.copyOf(t, done), 0);
    }

    static void check(Response r, int expect) {
        if (r.status != expect) {
            throw new IllegalStateException("expected " + expect + ", got " + r.status);
        }
    }

    /**
     * Runs the client's code paths (keep-alive and new connections) against a responder in this process
     * until they are compiled; returns the last keep-alive and new-connection p50 (ms).
     */
    static double[] clientWarmUp(long deadline) throws Exception {
        byte[] answer = ("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "WWW-Authenticate: Bearer realm=\"x\"\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Thread responder = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.setTcpNoDelay(true);
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        int first;
                        while ((first = readRequestHead(in)) >= 0) {
                            out.write(answer, 0, first == 'H' ? answer.length - 2 : answer.length);   // HEAD: no body
                        }
                    } catch (IOException closed) {
                        // the next connection, or the end
                    }
                }
            }, "responder");
            responder.setDaemon(true);
            responder.start();
            InetAddress loopback = InetAddress.getLoopbackAddress();
            int port = server.getLocalPort();
            byte[] request = request("GET", "/v2/", "127.0.0.1:" + port, "Bearer warm.up.token", null, 0);
            byte[] headRequest = request("HEAD", "/v2/", "127.0.0.1:" + port, "Bearer warm.up.token", null, 0);
            double ka = 0, nc = 0;
            for (int round = 0; round < 3; round++) {
                ka = p50(keepAlive(loopback, port, request, false, 401, 4000, deadline).samples);
                nc = p50(newConnections(loopback, port, request, false, 401, 400, deadline).samples);
                p50(keepAlive(loopback, port, headRequest, true, 401, 2000, deadline).samples);   // the HEAD branch
            }
            return new double[] {ka, nc};
        }
    }

    /** Reads one request head (up to the blank line); returns its first byte, or -1 at the end of the stream. */
    static int readRequestHead(InputStream in) throws IOException {
        int state = 0, b, first = -1;
        while ((b = in.read()) >= 0) {
            if (first < 0) {
                first = b;
            }
            state = (b == '\r' && (state == 0 || state == 2)) ? state + 1 : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return first;
            }
        }
        return -1;
    }

    static void pushBlob(InetAddress address, int port, String host, String repo, String digest, byte[] blob, String auth) throws IOException {
        Connection c = Connection.open(address, port);
        try {
            c.out.write(request("POST", "/v2/" + repo + "/blobs/uploads/", host, auth, null, 0));
            Response post = c.read(false);
            if (post.status != 202 || post.location == null) {
                throw new IllegalStateException("blob upload POST: " + post.status + " " + post.body);
            }
            String location = post.location.startsWith("http") ? URI.create(post.location).getRawPath()
                    + (URI.create(post.location).getRawQuery() != null ? "?" + URI.create(post.location).getRawQuery() : "") : post.location;
            String put = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
            if (post.close) {
                c.close();
                c = Connection.open(address, port);
            }
            c.out.write(request("PUT", put, host, auth, "application/octet-stream", blob.length));
            c.out.write(blob);
            Response r = c.read(false);
            if (r.status != 201) {
                throw new IllegalStateException("blob upload PUT: " + r.status + " " + r.body);
            }
        } finally {
            c.close();
        }
    }

    static String berthToken(InetAddress address, int port, String host, String login, String service, String repo) throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
        Connection c = Connection.open(address, port);
        try {
            c.out.write(request("GET", "/service/token?service=" + service + "&scope=repository:" + repo + ":pull", host, basic, null, 0));
            Response r = c.read(false);
            Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body);
            if (r.status != 200 || !m.find()) {
                throw new IllegalStateException("token: " + r.status + " " + r.body);
            }
            return "Bearer " + m.group(1);
        } finally {
            c.close();
        }
    }

    static byte[] request(String method, String path, String host, String auth, String contentType, int length) {
        StringBuilder s = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nUser-Agent: berth-bench-warmup\r\nAccept: */*\r\n");
        if (auth != null) {
            s.append("Authorization: ").append(auth).append("\r\n");
        }
        if (contentType != null) {
            s.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (method.equals("POST") || method.equals("PUT")) {
            s.append("Content-Length: ").append(length).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    record Response(int status, boolean close, String location, String body) {
    }

    static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] line = new byte[16384];

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16384);
            this.out = socket.getOutputStream();
        }

        static Connection open(InetAddress address, int port) throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(address, port), 10_000);
            return new Connection(s);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        /** Reads one answer: status line, headers, and the body (kept as text up to 64 KiB, else skipped). */
        Response read(boolean head) throws IOException {
            String status = readLine();
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new IOException("no HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            boolean close = status.startsWith("HTTP/1.0");
            long length = -1;
            boolean chunked = false;
            String location = null;
            String h;
            while ((h = readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase("keep-alive"));
                    case "location" -> location = value;
                    default -> {
                    }
                }
            }
            if (h == null) {
                throw new IOException("connection closed inside an answer's head");
            }
            StringBuilder body = new StringBuilder();
            if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
                return new Response(code, close, location, "");
            }
            if (chunked) {
                String size;
                while ((size = readLine()) != null) {
                    int semi = size.indexOf(';');
                    long chunk = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (chunk == 0) {
                        while ((size = readLine()) != null && !size.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body(chunk, body);
                    readLine();
                }
            } else if (length >= 0) {
                body(length, body);
            } else {
                body(Long.MAX_VALUE, body);
                close = true;
            }
            return new Response(code, close, location, body.toString());
        }

        private void body(long length, StringBuilder text) throws IOException {
            long left = length;
            while (left > 0) {
                int r = in.read(line, 0, (int) Math.min(line.length, left));
                if (r < 0) {
                    if (length == Long.MAX_VALUE) {
                        return;
                    }
                    throw new IOException("connection closed inside a body");
                }
                if (text.length() < 65536) {
                    text.append(new String(line, 0, r, StandardCharsets.UTF_8));
                }
                left -= r;
            }
        }

        private String readLine() throws IOException {
            int len = 0, b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    return new String(line, 0, len > 0 && line[len - 1] == '\r' ? len - 1 : len, StandardCharsets.ISO_8859_1);
                }
                if (len == line.length) {
                    throw new IOException("header line longer than " + line.length);
                }
                line[len++] = (byte) b;
            }
            return len == 0 ? null : new String(line, 0, len, StandardCharsets.ISO_8859_1);
        }
    }

    static double p50(long[] t) {
        if (t.length == 0) {
            return Double.NaN;
        }
        long[] s = t.clone();
        Arrays.sort(s);
        return s[(s.length - 1) / 2] / 1e6;
    }

    static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: java bench/src/WarmUp.java --url http://127.0.0.1:PORT --label NAME --kind v2|blob"
                + " [--auth-header H | --berth-login USER:PASSWORD] [--push --push-auth H] [--repo R]"
                + " [--n 10000] [--block 100] [--conns 300] [--max-seconds 300] [--out FILE] [--series FILE]");
        System.exit(2);
    }
}
