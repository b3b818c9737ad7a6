package org.berth.api.error;

/**
 * The error catalogue: every code Berth sends, once, with its HTTP status and default message
 * (OCI dist-spec "Error Codes"; RANGE_INVALID and NOT_FOUND as in CNCF Distribution; CONFLICT and
 * INVALID_REQUEST for the administration API under /api/v1; INSUFFICIENT_STORAGE and UNAVAILABLE
 * when the server's storage fails a write).
 */
public enum OciErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(404, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    SIZE_INVALID(413, "provided length did not match content length"),
    RANGE_INVALID(416, "invalid content range"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    NOT_FOUND(404, "no such API endpoint"),
    CONFLICT(409, "the request conflicts with the current state"),
    INVALID_REQUEST(400, "invalid request"),
    /** The data root is full (HTTP 507 Insufficient Storage; CNCF Distribution has no code for it). */
    INSUFFICIENT_STORAGE(507, "the registry's storage is full"),
    /** As CNCF Distribution's UNAVAILABLE: the server cannot serve the request now. */
    UNAVAILABLE(503, "service unavailable"),
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    OciErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
