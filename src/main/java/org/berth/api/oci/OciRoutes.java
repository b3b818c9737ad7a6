package org.berth.api.oci;

/**
 * Every /v2 route in one table (OCI dist-spec "Endpoints", end-1 to end-13, plus Docker's
 * {@code _catalog}). Paths are relative to {@link OciApplication}'s {@code /v2}. The name pattern
 * is deliberately loose so that a malformed name reaches the code and gets NAME_INVALID rather
 * than a bare 404; {@link org.berth.domain.RepositoryName} holds the real grammar.
 */
public final class OciRoutes {

    static final String NAME = "{name: .+}";

    /** end-1: GET /v2/ */
    public static final String BASE = "/";
    /** Docker registry API: GET /v2/_catalog */
    public static final String CATALOG = "_catalog";
    /** end-8a/8b: GET /v2/NAME/tags/list */
    public static final String TAGS = NAME + "/tags/list";
    /** end-3, end-7, end-9: GET/HEAD/PUT/DELETE /v2/NAME/manifests/REFERENCE */
    public static final String MANIFEST = NAME + "/manifests/{reference}";
    /** end-2, end-10: GET/HEAD/DELETE /v2/NAME/blobs/DIGEST */
    public static final String BLOB = NAME + "/blobs/{digest}";
    /** Upload sessions: everything under /v2/NAME/blobs/uploads */
    public static final String UPLOADS = NAME + "/blobs/uploads";
    /** end-4a/4b, end-11: POST /v2/NAME/blobs/uploads/ (relative to {@link #UPLOADS}) */
    public static final String NEW_UPLOAD = "/";
    /** end-5, end-6, end-13: PATCH/PUT/GET/DELETE /v2/NAME/blobs/uploads/ID (relative to {@link #UPLOADS}) */
    public static final String UPLOAD = "{uploadId}";
    /** end-12a/12b: GET /v2/NAME/referrers/DIGEST */
    public static final String REFERRERS = NAME + "/referrers/{digest}";

    private OciRoutes() {
    }

    static String manifestPath(String name, String reference) {
        return "/v2/" + name + "/manifests/" + reference;
    }

    static String blobPath(String name, String digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    static String uploadPath(String name, String uploadId) {
        return "/v2/" + name + "/blobs/uploads/" + uploadId;
    }
}
