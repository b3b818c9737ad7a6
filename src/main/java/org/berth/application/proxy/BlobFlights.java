package org.berth.application.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.UploadService;
import org.berth.domain.BlobLinks;
import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.proxy.FetchClaims;
import org.berth.remote.RemoteBlob;
import org.berth.remote.RemoteFailure;
import org.berth.storage.BlobContent;
import org.berth.storage.BlobStore;
import org.berth.storage.StorageSettings;

/**
 * Blobs being fetched from upstream registries: at most one fetch per blob in the cluster.
 * <ul>
 *   <li>On this node, a request for a blob already on its way reads the same {@link BlobFlight}.</li>
 *   <li>Across nodes, the node fetching holds a claim in the database ({@link FetchClaims}),
 *       renewed while bytes arrive; another node asked for the blob meanwhile waits until it is
 *       stored and serves it from storage (or takes the claim over when it is no longer renewed).</li>
 * </ul>
 * A fetched blob is verified against its digest while it streams, then stored through the same
 * upload path as a push (verified again, within the project's quota, linked to the repository).
 * Spool files live under {@code <data root>/proxy-spool/}, emptied at start.
 */
@ApplicationScoped
public class BlobFlights {

    private static final Logger LOG = Logger.getLogger(BlobFlights.class.getName());

    /** A reader gives up on an upstream that sent nothing for this long. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    /** A claim not renewed for this long lost its node. */
    static final Duration CLAIM_STALE = Duration.ofSeconds(30);

    /** A verified blob is stored at the latest this long after its last byte came, even while other fetches run. */
    static final Duration STORE_DELAY = Duration.ofSeconds(2);

    /** How often a node waiting for another node's fetch looks for the blob. */
    private static final long POLL_MILLIS = 200;

    /** Who holds a fetch's claim: this node, for the life of the application. */
    private static final String NODE = UUID.randomUUID().toString();

    /** The upload sessions of the cache's fetches are held by this owner (not a client's). */
    static final String OWNER = "proxy-cache";

    @Inject
    UploadService uploads;

    @Inject
    BlobStore blobs;

    @Inject
    BlobLinks links;

    @Inject
    FetchClaims claims;

    @Inject
    StorageSettings storage;

    @Inject
    ProxyMetrics metrics;

    /**
     * A fetch is per repository, not per digest: a client may read only what its repository's
     * upstream sent, never a blob another project's (perhaps private) upstream is sending now.
     */
    private record Key(RepositoryName repository, Digest digest) {
        @Override
        public String toString() {
            return "blob:" + repository.value() + "@" + digest;
        }
    }

    private final SingleFlight<Key, BlobFlight> starting = new SingleFlight<>();
    private final ConcurrentMap<Key, BlobFlight> flying = new ConcurrentHashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    /** Fetches receiving bytes now, on this node (also the monitor {@link #awaitQuiet} waits on). */
    private final AtomicInteger filling = new AtomicInteger();
    private ExecutorService fetchers;
    private Path spoolFolder;

    /** What the cache hands over to start a fetch: opening the upstream's body, and storing the verified bytes. */
    interface Fetch {
        RemoteBlob open() throws RemoteFailure;

        /** Stores the verified spool into the repository; called on the fetching thread. */
        void store(Path spool, long size);
    }

    @PostConstruct
    void start() {
        spoolFolder = storage.paths().root().resolve("proxy-spool");
        try {
            Files.createDirectories(spoolFolder);
            try (var left = Files.list(spoolFolder)) {
                left.forEach(f -> f.toFile().delete()); // from a run that stopped mid-fetch
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + spoolFolder, e);
        }
        fetchers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "berth-proxy-fetch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        fetchers.shutdownNow();
    }

    /**
     * The blob: read behind the fetch already running on this node, or from storage once another
     * node stored it, or fetched now.
     *
     * @throws RemoteFailure when the upstream answered with a failure before sending the body
     */
    BlobContent open(RepositoryName repository, Digest digest, Fetch fetch) throws RemoteFailure {
        Key key = new Key(repository, digest);
        BlobFlight flight = current(key);
        if (flight != null) {
            return flight.reader(() -> blobs.open(digest));
        }
        try {
            flight = starting.run(key, () -> {
                try {
                    return begin(key, fetch);
                } catch (RemoteFailure f) {
                    throw new Wrapped(f);
                }
            });
        } catch (Wrapped w) {
            throw w.failure;
        }
        if (flight == null) {
            // another node fetched it: it is in storage now
            return blobs.open(digest).orElseThrow(() -> new RegistryException.BlobUnknown(digest));
        }
        return flight.reader(() -> blobs.open(digest));
    }

    /** The fetch of the key running on this node; one that failed is forgotten at once, not joined. */
    private BlobFlight current(Key key) {
        BlobFlight flight = flying.get(key);
        if (flight != null && flight.hasFailed()) {
            flying.remove(key, flight);
            return null;
        }
        return flight;
    }

    /** How many fetches run on this node (for tests). */
    int inFlight() {
        return flying.size();
    }

    /** Starts the fetch, or waits for another node's; null when another node stored the blob. */
    private BlobFlight begin(Key key, Fetch fetch) throws RemoteFailure {
        BlobFlight already = current(key);
        if (already != null) {
            return already;
        }
        Digest digest = key.digest();
        String claim = key.toString();
        while (!claims.claim(claim, NODE, Instant.now(), Instant.now().minus(CLAIM_STALE))) {
            if (links.isLinked(key.repository(), digest) && blobs.size(digest).isPresent()) {
                return null;
            }
            sleep();
        }
        RemoteBlob body;
        try {
            body = fetch.open();
        } catch (RemoteFailure | RuntimeException e) {
            claims.release(claim, NODE);
            throw e;
        }
        if (body.size() < 0) {
            claims.release(claim, NODE);
            closeQuietly(body);
            throw new RemoteFailure(RemoteFailure.Reason.INVALID, 0,
                    "the upstream did not say the size of " + digest, Optional.empty());
        }
        BlobFlight flight;
        try {
            flight = new BlobFlight(digest, body.size(), spoolFolder.resolve(digest.hex() + "-" + UUID.randomUUID()), IDLE_LIMIT);
        } catch (IOException e) {
            claims.release(claim, NODE);
            closeQuietly(body);
            throw new UncheckedIOException("cannot make a spool in " + spoolFolder, e);
        }
        flight.onAbort(() -> closeQuietly(body));
        flying.put(key, flight);
        metrics.miss();
        fetchers.execute(() -> fly(key, flight, body, fetch));
        return flight;
    }

    private void fly(Key key, BlobFlight flight, RemoteBlob body, Fetch fetch) {
        RepositoryName repository = key.repository();
        try (body) {
            filling.incrementAndGet();
            try {
                flight.fill(body.body(), () -> claims.renew(key.toString(), NODE, Instant.now()));
            } finally {
                quieter();
            }
            awaitQuiet();
            fetch.store(flight.spool, flight.size);
        } catch (BlobFlight.CorruptBlob e) {
            metrics.corrupt();
            LOG.warning(() -> "refused " + flight.digest + " for " + repository + " from the upstream: " + e.getMessage());
        } catch (IOException e) {
            flight.failed(e);
            LOG.log(Level.INFO, () -> "fetching " + flight.digest + " for " + repository + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // verified and streamed, but not stored (quota, disk): the next pull fetches it again
            LOG.log(Level.WARNING, "could not store " + flight.digest + " fetched for " + repository + ": " + e.getMessage());
        } finally {
            flying.remove(key, flight);
            claims.release(key.toString(), NODE);
            flight.discard();
        }
    }

    private void quieter() {
        synchronized (filling) {
            filling.decrementAndGet();
            filling.notifyAll();
        }
    }

    /**
     * Waits, at most {@link #STORE_DELAY}, until no fetch on this node is receiving bytes. Storing
     * syncs the spool to disk (fsync), and on ext4 an fsync holds up every other writer of the
     * filesystem while the journal commits: measured here, three parallel misses took twice as
     * long with each blob synced as it completed. Meanwhile the flight stays, so its verified spool
     * serves every request for the blob.
     */
    private void awaitQuiet() {
        long deadline = System.nanoTime() + STORE_DELAY.toNanos();
        synchronized (filling) {
            long left;
            while (filling.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    filling.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stores a verified spool into the repository, within its quota: on the filesystem store the
     * spool becomes the blob as it is (no second pass over its bytes).
     */
    void install(RepositoryName repository, Digest digest, Path spool, long size) {
        uploads.adoptWhole(repository, digest, spool, size, OWNER);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another node fetched the blob", e);
        }
    }

    private static void closeQuietly(RemoteBlob body) {
        try {
            body.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }

    /** Carries a checked failure through {@link SingleFlight}. */
    private static final class Wrapped extends RuntimeException {
        final RemoteFailure failure;

        Wrapped(RemoteFailure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
