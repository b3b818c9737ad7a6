package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadPipelineTest {

    private final UploadPipeline pipeline = new UploadPipeline();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void buffersFedInTurnHashAsTheWholeContent() {
        byte[] content = UploadStoreContract.random(10 * 65536 + 3, 41);
        MessageDigest digest = Digest.newMessageDigest(DigestAlgorithm.SHA256);
        UploadPipeline.Feed feed = pipeline.feed(digest);
        byte[][] arrays = {new byte[65536], new byte[65536]};
        for (int offset = 0, turn = 0; offset < content.length; offset += 65536, turn++) {
            int n = Math.min(65536, content.length - offset);
            byte[] array = arrays[turn % 2];
            System.arraycopy(content, offset, array, 0, n);
            feed.update(array, n);
        }
        feed.await();
        assertEquals(Digest.sha256(content), Digest.from(DigestAlgorithm.SHA256, digest));
    }

    @Test
    void aFailedWriteOutFailsTheNextCallAndTheWait() throws IOException {
        FileChannel file = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        UploadPipeline.WriteOut writeOut = pipeline.writeOut(file);
        file.close();
        writeOut.wrote(UploadPipeline.WRITE_OUT_EVERY);          // starts a write-out, which fails
        IOException failure = assertThrows(UploadPipeline.WriteOutFailed.class, writeOut::await);
        assertInstanceOf(ClosedChannelException.class, failure.getCause());
        assertThrows(UploadPipeline.WriteOutFailed.class, () -> writeOut.wrote(UploadPipeline.WRITE_OUT_EVERY));
    }

    @Test
    void noWriteOutBeforeEnoughBytesArePending() throws IOException {
        FileChannel file = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        UploadPipeline.WriteOut writeOut = pipeline.writeOut(file);
        file.close();
        writeOut.wrote(UploadPipeline.WRITE_OUT_EVERY - 1);      // a write-out now would fail on the closed channel
        assertDoesNotThrow(writeOut::await);
    }
}
