package org.berth.domain.gc;

/** What a garbage collection run removes, with the name each has in the API. */
public enum GarbageKind {
    /** Files under {@code blobs/} (layers, configs, manifests' bytes) that nothing links or references. */
    BLOB("blobs"),
    /** Untagged manifests that no tagged index references and that are no referrer of a kept one ({@code delete_untagged}). */
    MANIFEST("manifests"),
    /** A repository's links to blobs that none of its manifests references. */
    LINK("links"),
    /** Upload sessions that received no byte for the upload expiry, with their bytes. */
    UPLOAD("upload_sessions"),
    /** Files under the data root that no row names (left by a crash between a write and its commit). */
    ORPHAN("orphan_files");

    private final String jsonName;

    GarbageKind(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
