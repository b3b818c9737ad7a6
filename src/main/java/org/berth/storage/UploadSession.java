package org.berth.storage;

import org.berth.domain.RepositoryName;

/**
 * An upload in progress (OCI dist-spec "Pushing blobs"): which repository it is for and how many
 * bytes it holds.
 */
public record UploadSession(String id, RepositoryName repository, long size) {
}
