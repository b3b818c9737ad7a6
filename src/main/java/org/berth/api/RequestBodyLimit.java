package org.berth.api;

import java.util.regex.Pattern;

import org.berth.domain.ManifestDocument;

/**
 * How many body bytes each route may send (issue 14: a 300 MB JSON body read into memory killed
 * the server's threads). Blob uploads alone stream without a cap: their bytes go to disk.
 */
public enum RequestBodyLimit {
    /** {@code /v2/NAME/blobs/uploads/[ID]}: streamed to disk, bounded by quota and disk space. */
    BLOB_UPLOAD(Long.MAX_VALUE),
    /** {@code PUT /v2/NAME/manifests/REF}: OCI dist-spec lets registries refuse over 4 MiB. */
    MANIFEST(ManifestDocument.MAX_BYTES),
    /** {@code /service/token}: the OAuth2 form carrying the credentials; read before the caller is known. */
    TOKEN_FORM(64 * 1024),
    /** Everything else: the JSON bodies of /api/v1, and any body sent where none is expected. */
    DEFAULT(1024 * 1024);

    private static final Pattern UPLOAD = Pattern.compile("^/v2/.+/blobs/uploads(/[^/]*)?$");
    private static final Pattern MANIFEST_PATH = Pattern.compile("^/v2/.+/manifests/[^/]+$");

    private final long bytes;

    RequestBodyLimit(long bytes) {
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }

    /** @param path the request path inside the application, e.g. {@code /v2/library/app/manifests/1} */
    public static RequestBodyLimit of(String path) {
        if (path.startsWith("/v2/")) {
            if (UPLOAD.matcher(path).matches()) {
                return BLOB_UPLOAD;
            }
            if (MANIFEST_PATH.matcher(path).matches()) {
                return MANIFEST;
            }
        }
        if (path.equals("/service/token") || path.startsWith("/service/token/")) {
            return TOKEN_FORM;
        }
        return DEFAULT;
    }
}
