package org.berth.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which repositories may serve which blobs. Bytes are stored once per digest; a repository sees a
 * blob only through a link, made when the blob is pushed to or mounted into it. A link remembers
 * when it was last made or promised to a client (a HEAD answered 200): the garbage collector keeps
 * it for a grace period from then, even when no manifest references it yet.
 */
public interface BlobLinks {

    boolean isLinked(RepositoryName repository, Digest digest);

    /**
     * Links the blob into the repository (creating the repository if needed), or marks an existing
     * link touched now; idempotent. An existing link is updated in the caller's transaction, which
     * therefore holds its row until it ends.
     */
    void link(RepositoryName repository, Digest digest, long size);

    /** @return false when the blob was not linked */
    boolean unlink(RepositoryName repository, Digest digest);

    /** Some repositories that link the digest, at most {@code limit}, in lexical order. */
    List<RepositoryName> repositoriesLinking(Digest digest, int limit);

    /** When the link was last made or touched; empty when the repository does not link the blob. */
    Optional<Instant> touchedAt(RepositoryName repository, Digest digest);

    /**
     * Marks the link touched at {@code at}, in a transaction of its own.
     *
     * @return false when the link is gone (the garbage collector removed it meanwhile)
     */
    boolean touch(RepositoryName repository, Digest digest, Instant at);

    /**
     * Locks the repository's links to these digests for the caller's transaction (in digest order,
     * as every locker of several links does), so that none can be collected before it ends.
     *
     * @return the digests the repository links, of those asked
     */
    Set<Digest> hold(RepositoryName repository, Collection<Digest> digests);
}
