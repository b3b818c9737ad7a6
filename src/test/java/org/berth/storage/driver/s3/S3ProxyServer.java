package org.berth.storage.driver.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server on loopback for the tests: S3Proxy (its jar, copied to {@code target/} by the
 * build, run as a child {@code java -jar} so that jclouds and Jetty stay off the test classpath)
 * with its filesystem backend in a temporary folder, on a random port. One per test JVM, started
 * on first use and stopped when the JVM exits; each test takes a fresh bucket.
 */
public final class S3ProxyServer {

    static final String IDENTITY = "berth-test";
    static final String CREDENTIAL = "berth-test-secret";

    private static S3ProxyServer shared;

    private final Process process;
    private final URI endpoint;
    private final Path data;
    private final S3Client admin;

    private S3ProxyServer(Process process, URI endpoint, Path data) {
        this.process = process;
        this.endpoint = endpoint;
        this.data = data;
        this.admin = S3Clients.client(settings("unused"), credentials());
    }

    public static synchronized S3ProxyServer shared() throws IOException, InterruptedException {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            S3ProxyServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return shared;
    }

    private static S3ProxyServer start() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("berth.test.s3proxy.jar", "target/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Proxy jar at " + jar + ": run the build's process-test-resources phase");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path data = Files.createTempDirectory("berth-s3proxy-");
        Path blobs = Files.createDirectories(data.resolve("blobs"));
        Path properties = data.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs,
                ""));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("s3proxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("S3Proxy did not start; see " + data.resolve("s3proxy.log") + ":\n"
                        + Files.readString(data.resolve("s3proxy.log")));
            }
            Thread.sleep(100);
        }
        return new S3ProxyServer(process, URI.create("http://127.0.0.1:" + port), data);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
    }

    /** Settings for a bucket of this server, with the smallest part size S3 allows. */
    public S3Settings settings(String bucket) {
        return new S3Settings(Optional.of(endpoint), bucket, "us-east-1", true, Optional.empty(), S3Settings.MIN_PART_SIZE);
    }

    /** A new, empty bucket. */
    public String newBucket() {
        String bucket = "berth-" + UUID.randomUUID().toString().substring(0, 18);
        admin.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** A driver over {@code settings}, as one node would make it. */
    public static S3Driver driver(S3Settings settings) {
        return new S3Driver(S3Clients.client(settings, credentials()), S3Clients.presigner(settings, credentials()), settings);
    }

    public URI endpoint() {
        return endpoint;
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the JVM is exiting; a temporary folder left behind is harmless
        }
    }
}
