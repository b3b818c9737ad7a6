package org.berth.domain;

/**
 * A reference from a manifest to content (OCI image-spec descriptor.md): media type, digest, size,
 * and for manifests in an index or a referrers list, the artifact type.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType) {
}
