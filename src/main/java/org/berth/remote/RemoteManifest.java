package org.berth.remote;

import java.util.Objects;

/**
 * A manifest or index as the upstream sent it.
 *
 * @param digest    the upstream's {@code Docker-Content-Digest}, checked against the bytes; else their sha256
 * @param mediaType the {@code Content-Type} (without parameters), else the document's {@code mediaType}
 * @param bytes     the exact bytes (at most {@link RegistryClient#MAX_MANIFEST_BYTES})
 */
public record RemoteManifest(String digest, String mediaType, byte[] bytes) {

    public RemoteManifest {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * What a HEAD of a manifest told.
     *
     * @param size the {@code Content-Length}, -1 when the upstream did not send one
     */
    public record Head(String digest, String mediaType, long size) {
    }

    @Override
    public String toString() {
        return "RemoteManifest[digest=" + digest + ", mediaType=" + mediaType + ", " + bytes.length + " bytes]";
    }
}
