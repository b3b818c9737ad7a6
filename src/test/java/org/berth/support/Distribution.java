package org.berth.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (CNCF Distribution 2.8.2) on a free loopback port, with
 * filesystem storage and deletes enabled, for tests that need a real registry at the other end.
 * Absent binary: {@link #binary()} is empty and the test skips itself.
 */
public final class Distribution implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private Distribution(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** {@code docker-registry} on the PATH, if installed. */
    public static Optional<Path> binary() {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> List.of(p.split(":")).stream())
                .map(p -> Path.of(p, "docker-registry")).filter(Files::isExecutable).findFirst();
    }

    /** A free loopback port (bound, then released). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts it under {@code dir} and waits until {@code /v2/} answers (at most 15 s). */
    public static Distribution start(Path dir) throws Exception {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("docker-registry is not installed"));
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port));
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Distribution registry = new Distribution(process, log, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(registry.url().resolve("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return registry;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > until || !process.isAlive()) {
                registry.close();
                throw new IllegalStateException("Distribution did not start:\n" + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
