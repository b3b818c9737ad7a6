package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestBodyLimitTest {

    @Test
    void blobUploadsAloneAreUncapped() {
        assertEquals(RequestBodyLimit.BLOB_UPLOAD, RequestBodyLimit.of("/v2/library/app/blobs/uploads/"));
        assertEquals(RequestBodyLimit.BLOB_UPLOAD, RequestBodyLimit.of("/v2/team/a/b/blobs/uploads/3f1c-uuid"));
        // JAX-RS matches the POST without its trailing slash too
        assertEquals(RequestBodyLimit.BLOB_UPLOAD, RequestBodyLimit.of("/v2/library/app/blobs/uploads"));
        assertEquals(Long.MAX_VALUE, RequestBodyLimit.BLOB_UPLOAD.bytes());
    }

    @Test
    void manifestsAreCappedAtFourMebibytes() {
        assertEquals(RequestBodyLimit.MANIFEST, RequestBodyLimit.of("/v2/library/app/manifests/v1"));
        assertEquals(4L * 1024 * 1024, RequestBodyLimit.MANIFEST.bytes());
    }

    @Test
    void theTokenFormIsCappedAtSixtyFourKibibytes() {
        assertEquals(RequestBodyLimit.TOKEN_FORM, RequestBodyLimit.of("/service/token"));
        assertEquals(64L * 1024, RequestBodyLimit.TOKEN_FORM.bytes());
    }

    @Test
    void everythingElseIsCappedAtOneMebibyte() {
        for (String path : new String[] {"/api/v1/projects", "/api/v1/projects/library", "/v2/", "/v2/_catalog",
                "/v2/library/app/blobs/sha256:abc", "/v2/library/app/blobs/uploads/id/extra", "/index.html",
                "/service/tokenx", "/api/v1/users/current/tokens"}) {
            assertEquals(RequestBodyLimit.DEFAULT, RequestBodyLimit.of(path), path);
        }
        assertEquals(1024L * 1024, RequestBodyLimit.DEFAULT.bytes());
    }
}
