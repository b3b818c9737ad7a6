package org.berth.storage.driver.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.berth.storage.driver.FileWriter;
import org.berth.storage.driver.StorageDriver;
import org.berth.storage.driver.StorageDriverContract;
import org.junit.jupiter.api.Test;

/** The driver contract on a real S3 server (S3Proxy on loopback), and what only S3 has. */
class S3DriverTest extends StorageDriverContract {

    private S3Settings settings;

    @Override
    protected StorageDriver newDriver() throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        settings = server.settings(server.newBucket());
        return S3ProxyServer.driver(settings);
    }

    @Override
    protected StorageDriver otherNode() {
        return S3ProxyServer.driver(settings);
    }

    @Test
    void theTailOfAWriteLivesInTheBucketBesideTheFile() throws IOException {
        try (FileWriter w = driver.writer("uploads/t/data", true)) {
            byte[] bytes = random(S3Settings.MIN_PART_SIZE + 1000, 20);
            w.write(bytes, 0, bytes.length);
        }
        byte[] state = driver.getContent("uploads/t/data" + S3Driver.WRITING);
        WriterState decoded = WriterState.decode(state);
        assertEquals(1, decoded.parts().size(), "one full part sent");
        assertEquals(S3Settings.MIN_PART_SIZE, decoded.parts().get(0).size());
        assertEquals(1000, decoded.tail().length, "the rest waits in the bucket, not in a node's memory");
    }

    /** Found by bench/scale.sh: sixteen small pushes at once, each writer with a part-sized buffer, ran -Xmx256m out of memory. */
    @Test
    void aWriterHoldsABufferTheSizeOfWhatArrivedNotOfAPart() throws IOException {
        try (FileWriter w = driver.writer("uploads/s/data", true)) {
            byte[] small = random(4096, 21);
            w.write(small, 0, small.length);
            assertEquals(MultipartWriter.INITIAL_BUFFER, ((MultipartWriter) w).capacity(), "a 4 KiB blob");
            byte[] more = random(3 * MultipartWriter.INITIAL_BUFFER, 22);
            w.write(more, 0, more.length);
            assertEquals(4096 + 3 * MultipartWriter.INITIAL_BUFFER, ((MultipartWriter) w).capacity(), "grown to what arrived");
            w.write(small, 0, 1);
            assertEquals(2 * (4096 + 3 * MultipartWriter.INITIAL_BUFFER), ((MultipartWriter) w).capacity(), "then by doubling");
        }
        try (FileWriter w = driver.writer("uploads/s/data", true)) {
            byte[] rest = random(S3Settings.MIN_PART_SIZE, 23);
            w.write(rest, 0, rest.length);
            assertEquals(S3Settings.MIN_PART_SIZE, ((MultipartWriter) w).capacity(), "never above a part");
        }
        WriterState decoded = WriterState.decode(driver.getContent("uploads/s/data" + S3Driver.WRITING));
        assertEquals(1, decoded.parts().size());
        assertEquals(4096 + 3 * MultipartWriter.INITIAL_BUFFER + 1, decoded.tail().length);
        try (FileWriter w = driver.writer("uploads/s/data", true)) {
            w.commit();
        }
        assertEquals(S3Settings.MIN_PART_SIZE + 4096 + 3 * MultipartWriter.INITIAL_BUFFER + 1, driver.stat("uploads/s/data").orElseThrow().size());
    }

    @Test
    void aRedirectIsAPresignedUrlThatServesTheFile() throws Exception {
        S3Settings redirecting = new S3Settings(settings.endpoint(), settings.bucket(), settings.region(), true,
                Optional.of(Duration.ofMinutes(5)), settings.partSize());
        StorageDriver d = S3ProxyServer.driver(redirecting);
        assertEquals(Optional.empty(), driver.redirectUrl("f"), "off unless configured");
        d.putContent("f", "presigned".getBytes());
        URI url = d.redirectUrl("f").orElseThrow();
        assertTrue(url.getQuery().contains("X-Amz-Signature"), url.toString());
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("presigned", response.body());
    }

    @Test
    void probeFailsQuicklyWhenTheServerIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        S3Settings nowhere = new S3Settings(Optional.of(URI.create("http://127.0.0.1:" + closed)), "b", "us-east-1", true,
                Optional.empty(), S3Settings.MIN_PART_SIZE);
        long started = System.nanoTime();
        assertThrows(IOException.class, () -> S3ProxyServer.driver(nowhere).probe());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(15).toNanos(), "within the probe's timeouts");
    }

    @Test
    void probeFailsWhenTheBucketIsMissing() {
        S3Settings missing = new S3Settings(settings.endpoint(), "no-such-bucket-here", "us-east-1", true,
                Optional.empty(), S3Settings.MIN_PART_SIZE);
        assertThrows(IOException.class, () -> S3ProxyServer.driver(missing).probe());
    }
}
