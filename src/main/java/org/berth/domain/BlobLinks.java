package org.berth.domain;

import java.util.List;

/**
 * Which repositories may serve which blobs. Bytes are stored once per digest; a repository sees a
 * blob only through a link, made when the blob is pushed to or mounted into it.
 */
public interface BlobLinks {

    boolean isLinked(RepositoryName repository, Digest digest);

    /** Links the blob into the repository (creating the repository if needed); idempotent. */
    void link(RepositoryName repository, Digest digest, long size);

    /** @return false when the blob was not linked */
    boolean unlink(RepositoryName repository, Digest digest);

    /** Some repositories that link the digest, at most {@code limit}, in lexical order. */
    List<RepositoryName> repositoriesLinking(Digest digest, int limit);
}
