package org.berth.application.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.berth.storage.BlobContent;
import org.berth.storage.ZeroCopySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobFlightTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private BlobFlight flight(byte[] content, Digest digest) throws IOException {
        return new BlobFlight(digest, content.length, dir.resolve("spool"), Duration.ofSeconds(2));
    }

    @Test
    void readersGetEveryByteWhileItArrivesAndTheLastOnlyOnceVerified() throws Exception {
        byte[] content = bytes(700_000);
        BlobFlight flight = flight(content, Digest.of(DigestAlgorithm.SHA256, content));
        PipedOutputStream upstream = new PipedOutputStream();
        InputStream body = new PipedInputStream(upstream, 1 << 20);
        CompletableFuture<Void> filling = CompletableFuture.runAsync(() -> {
            try {
                flight.fill(body, () -> { });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        upstream.write(content, 0, content.length - 1);
        upstream.flush();
        BlobContent reader = flight.reader(Optional::empty);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                reader.writeTo(got, 0, content.length);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(reading.isDone(), "the last byte waits for the digest");
        assertEquals(content.length - 1, got.size());
        upstream.write(content, content.length - 1, 1);
        upstream.close();
        filling.get(5, TimeUnit.SECONDS);
        reading.get(5, TimeUnit.SECONDS);
        assertArrayEquals(content, got.toByteArray());
        assertTrue(flight.isVerified());
    }

    @Test
    void aReaderThatComesBeforeTheFirstByteWaitsForIt() throws Exception {
        byte[] content = bytes(300_000);
        BlobFlight flight = flight(content, Digest.of(DigestAlgorithm.SHA256, content));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                flight.reader(Optional::empty).writeTo(got, 0, content.length);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(reading.isDone(), "no byte yet: the reader waits");
        flight.fill(new ByteArrayInputStream(content), () -> { });
        reading.get(5, TimeUnit.SECONDS);
        assertArrayEquals(content, got.toByteArray());
    }

    @Test
    void bytesThatAreNotTheDigestsAreCutShortForEveryReader() throws Exception {
        byte[] content = bytes(100_000);
        byte[] wrong = content.clone();
        wrong[wrong.length - 1] ^= 1;
        BlobFlight flight = flight(content, Digest.of(DigestAlgorithm.SHA256, content));
        assertThrows(BlobFlight.CorruptBlob.class, () -> flight.fill(new ByteArrayInputStream(wrong), () -> { }));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> flight.reader(Optional::empty).writeTo(got, 0, content.length));
        assertTrue(got.size() < content.length);
    }

    @Test
    void aShortOrLongBodyIsRefused() {
        byte[] content = bytes(1000);
        Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
        assertThrows(IOException.class, () -> new BlobFlight(digest, 1001, dir.resolve("a"), Duration.ofSeconds(1))
                .fill(new ByteArrayInputStream(content), () -> { }));
        assertThrows(IOException.class, () -> new BlobFlight(digest, 999, dir.resolve("b"), Duration.ofSeconds(1))
                .fill(new ByteArrayInputStream(content), () -> { }));
    }

    @Test
    void aReaderGivesUpOnAnUpstreamThatSendsNothingAndStopsIt() throws Exception {
        byte[] content = bytes(10_000);
        BlobFlight flight = new BlobFlight(Digest.of(DigestAlgorithm.SHA256, content), content.length, dir.resolve("s"),
                Duration.ofMillis(300));
        boolean[] aborted = {false};
        flight.onAbort(() -> aborted[0] = true);
        assertThrows(IOException.class, () -> flight.reader(Optional::empty).writeTo(new ByteArrayOutputStream(), 0, content.length));
        assertTrue(aborted[0]);
    }

    @Test
    void aReaderThatStartsAfterTheSpoolWasDeletedReadsTheStoredBlob() throws Exception {
        byte[] content = bytes(5000);
        Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
        BlobFlight flight = flight(content, digest);
        flight.fill(new ByteArrayInputStream(content), () -> { });
        BlobContent reader = flight.reader(() -> Optional.of(new BlobContent() {
            @Override
            public Digest digest() {
                return digest;
            }

            @Override
            public long size() {
                return content.length;
            }

            @Override
            public void writeTo(java.io.OutputStream out, long offset, long length) throws IOException {
                out.write(content, (int) offset, (int) length);
            }
        }));
        flight.discard();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        reader.writeTo(got, 10, 100);
        assertEquals(100, got.size());
    }

    @Test
    void aSinkTakesTheBodyAfterItsHeadAndTheSpoolOutlivesTheFlightUntilItsReaderIsDone() throws Exception {
        byte[] content = bytes(2_000_000);
        BlobFlight flight = flight(content, Digest.of(DigestAlgorithm.SHA256, content));
        flight.fill(new ByteArrayInputStream(content), () -> { });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int[] transfers = {0};
        ZeroCopySink sink = new ZeroCopySink() {
            @Override
            public long copiedHead(long length) {
                return 64 * 1024;
            }

            @Override
            public boolean transfer(Path file, long offset, long length) throws IOException {
                if (transfers[0]++ == 0) {
                    flight.discard(); // the flight ends while this reader is mid-body
                }
                byte[] all = Files.readAllBytes(file);
                got.write(all, (int) offset, (int) length);
                return true;
            }
        };
        flight.reader(Optional::empty).writeTo(got, 0, content.length, sink);
        assertArrayEquals(content, got.toByteArray());
        assertTrue(transfers[0] >= 1);
        assertFalse(Files.exists(flight.spool), "the last reader removes the spool");
    }
}
