package org.berth.application.replication;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.berth.domain.replication.ReplicationExecutionStore;
import org.berth.remote.BlobPush;

/**
 * The upload session of one blob pushed to a registry, kept in the database
 * ({@code replication_upload}) while the blob goes: when the destination goes away mid-layer for
 * longer than the client's retries, or Berth stops, the task fails, and its retry (or the rule's
 * next run) continues the session from what the registry holds instead of sending the layer again.
 * Keeping is best effort: a failure to keep costs a resume, never the push.
 */
final class KeptUploads implements BlobPush.Sessions {

    private static final Logger LOG = Logger.getLogger(KeptUploads.class.getName());

    /** A session untouched this long is forgotten (registries expire theirs sooner: Distribution after a week). */
    static final Duration KEPT_FOR = Duration.ofDays(7);

    /** The column's width: a longer Location is not kept. */
    static final int MAX_LOCATION = 2048;

    private final ReplicationExecutionStore store;
    private final String registry;
    private final String repository;
    private final String digest;

    KeptUploads(ReplicationExecutionStore store, String registry, String repository, String digest) {
        this.store = store;
        this.registry = registry;
        this.repository = repository;
        this.digest = digest;
    }

    @Override
    public Optional<URI> saved() {
        try {
            return store.upload(registry, repository, digest).map(URI::create);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "replication: no kept upload session read", e);
            return Optional.empty();
        }
    }

    @Override
    public void save(URI session) {
        String location = session.toString();
        if (location.length() > MAX_LOCATION) {
            return;
        }
        try {
            store.saveUpload(registry, repository, digest, location, Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "replication: the upload session was not kept", e);
        }
    }

    @Override
    public void done() {
        try {
            store.forgetUpload(registry, repository, digest);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "replication: a finished upload session was not forgotten (pruned later)", e);
        }
    }
}
