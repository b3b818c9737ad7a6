package org.berth.application.replication;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.berth.domain.Descriptor;
import org.berth.domain.replication.Glob;
import org.berth.remote.BlobSource;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteManifest;

/**
 * One end of a replication, source or destination: Berth's own storage ({@link LocalEnd}, through
 * the application's services so that quotas, digests and events apply) or a registry endpoint
 * ({@link RemoteEnd}, through the one {@link org.berth.remote.RegistryClient}). The copy engine
 * ({@link ArtifactCopy}) talks to both alike. Repository names are each end's own.
 */
interface ReplicationEnd {

    /** Repositories whose names the glob matches, in lexical order, handed one at a time. */
    void repositories(Glob filter, Consumer<String> each) throws RemoteFailure;

    /** The repository's tags, a page at a time (each page handed over, never all held). */
    void tags(String repository, Consumer<List<String>> page) throws RemoteFailure;

    /** A manifest by tag or digest; empty when it is not there. */
    Optional<RemoteManifest> manifest(String repository, String reference) throws RemoteFailure;

    /** The digest a tag or digest resolves to; empty when it is not there. */
    Optional<String> resolve(String repository, String reference) throws RemoteFailure;

    /** The manifests whose subject is the digest. */
    List<Descriptor> referrers(String repository, String digest) throws RemoteFailure;

    boolean hasBlob(String repository, String digest) throws RemoteFailure;

    /** The blob's bytes, to be read from any offset (a resumed push). */
    BlobSource blob(String repository, String digest, long size) throws RemoteFailure;

    /**
     * Stores a blob whose bytes the source has.
     *
     * @param progress told how much of the blob is through so far (may go back after a resumed failure);
     *                 called on the sending thread, briefly
     * @return the bytes sent, resent ones included
     */
    long putBlob(String repository, String digest, BlobSource source, LongConsumer progress) throws RemoteFailure;

    /** Links a blob this end has elsewhere ({@code from}: a repository it went to before; may be null). */
    boolean mount(String repository, String digest, String from) throws RemoteFailure;

    /** Stores a manifest under a tag or its digest. Whatever it references is there already. */
    void putManifest(String repository, String reference, RemoteManifest manifest) throws RemoteFailure;

    /** @return false when it was not there */
    boolean deleteManifest(String repository, String digest) throws RemoteFailure;

    /**
     * Whether the repository may be written: a local one must lie in an existing project that is
     * no proxy cache.
     *
     * @return empty when it may, else why not
     */
    Optional<String> refusesWrites(String repository);
}
