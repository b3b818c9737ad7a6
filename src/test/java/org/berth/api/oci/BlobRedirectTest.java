package org.berth.api.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.URI;
import java.util.List;

import org.berth.domain.Digest;
import org.berth.storage.BlobContent;
import org.junit.jupiter.api.Test;

/** With BERTH_S3_REDIRECT a blob GET answers 307 to the presigned URL, as Distribution's redirect does. */
class BlobRedirectTest {

    @Test
    void theRedirectNamesTheUrlAndTheDigestAndCarriesNoBody() {
        Digest digest = Digest.sha256(new byte[] {1, 2, 3});
        BlobContent blob = new BlobContent() {
            @Override
            public Digest digest() {
                return digest;
            }

            @Override
            public long size() {
                return 3;
            }

            @Override
            public void writeTo(OutputStream out, long offset, long length) {
                throw new AssertionError("a redirected blob is not read");
            }
        };
        URI presigned = URI.create("http://127.0.0.1:9000/bucket/blobs/sha256/03/0396?X-Amz-Signature=abc");
        RecordingResponseBuilder response = new RecordingResponseBuilder();
        BlobResource.redirect(response, blob, presigned);
        assertEquals(List.of(presigned.toString()), response.header("Location"));
        assertEquals(List.of(digest.toString()), response.header("Docker-Content-Digest"));
        assertEquals(List.of(0), response.header("Content-Length"));
    }
}
