package org.berth.application.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.ManifestService;
import org.berth.application.UploadService;
import org.berth.domain.BlobLinks;
import org.berth.domain.Digest;
import org.berth.domain.ManifestStore;
import org.berth.domain.Reference;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;
import org.berth.domain.Tag;
import org.berth.domain.UniqueViolations;
import org.berth.domain.proxy.ProxyProject;
import org.berth.domain.proxy.TagChecks;
import org.berth.remote.RegistryClient;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteManifest;
import org.berth.remote.RemoteRegistry;
import org.berth.storage.BlobContent;
import org.berth.storage.BlobStore;

/**
 * The pull-through cache of proxy projects (issue 20): manifests and blobs are served from what
 * Berth holds, and fetched from the project's upstream registry when it holds nothing yet.
 * <ul>
 *   <li>By digest: once cached, never asked of the upstream again (content by digest cannot change).</li>
 *   <li>By tag: served from the cache within the project's TTL; after it, a {@code HEAD} asks the
 *       upstream for the tag's digest (Docker Hub does not count a HEAD as a pull), and the manifest
 *       is fetched only when the digest changed.</li>
 *   <li>When the upstream fails (timeout, refused connection, 5xx, 429, credentials refused, tag
 *       gone) or is not asked ({@link UpstreamGate}), what is cached is served, marked stale; the
 *       failure reaches the client only when nothing is cached.</li>
 * </ul>
 */
@ApplicationScoped
public class ProxyCache {

    private static final Logger LOG = Logger.getLogger(ProxyCache.class.getName());

    /** Docker Hub's registry host names: single-segment names there are {@code library/NAME}. */
    private static final Set<String> DOCKER_HUB = Set.of("registry-1.docker.io", "index.docker.io", "docker.io",
            "registry.hub.docker.com");

    @Inject
    RegistryEndpointService endpoints;

    @Inject
    RegistryClient client;

    @Inject
    UpstreamGate gate;

    @Inject
    ManifestStore manifests;

    @Inject
    ManifestService manifestService;

    @Inject
    TagChecks tagChecks;

    @Inject
    BlobFlights flights;

    @Inject
    BlobStore blobs;

    @Inject
    BlobLinks links;

    @Inject
    UploadService uploads;

    @Inject
    CacheEviction eviction;

    @Inject
    StaleResponse stale;

    @Inject
    ProxyMetrics metrics;

    private final SingleFlight<String, StoredManifest> manifestFlights = new SingleFlight<>();

    /** The upstream side of a repository of a proxy project. */
    private record Upstream(String registry, RemoteRegistry remote, String repository) {
    }

    /** A manifest of a proxy project, from the cache or its upstream. */
    public StoredManifest manifest(ProxyProject proxy, RepositoryName repository, Reference reference) {
        Optional<StoredManifest> cached = reference instanceof Reference.ByTag t
                ? manifests.findByTag(repository, t.tag())
                : manifests.find(repository, ((Reference.ByDigest) reference).digest());
        if (cached.isPresent() && (reference instanceof Reference.ByDigest
                || fresh(proxy, repository, ((Reference.ByTag) reference).tag()))) {
            metrics.hit();
            return cached.get();
        }
        try {
            return manifestFlights.run(repository.value() + "@" + reference,
                    () -> fetchManifest(proxy, repository, reference, cached));
        } catch (UpstreamFailure f) {
            if (cached.isPresent()) {
                LOG.fine(() -> "serving " + repository + ":" + reference + " from the cache: " + f.getMessage());
                metrics.stale(f.reason());
                stale.mark(f.reason());
                return cached.get();
            }
            throw clientError(f, () -> new RegistryException.ManifestUnknown(
                    "manifest unknown: " + f.getMessage(), reference.toString()));
        }
    }

    /** A blob of a proxy project: stored, or streamed from its upstream while it is stored. */
    public BlobContent blob(ProxyProject proxy, RepositoryName repository, Digest digest) {
        Optional<BlobContent> held = held(repository, digest);
        if (held.isPresent()) {
            metrics.hit();
            return held.get();
        }
        Upstream upstream = upstream(proxy, repository);
        try {
            return flights.open(repository, digest, new BlobFlights.Fetch() {
                @Override
                public org.berth.remote.RemoteBlob open() throws RemoteFailure {
                    return ask(upstream, () -> client.getBlob(upstream.remote(), upstream.repository(), digest.toString()));
                }

                @Override
                public void store(Path spool, long size) {
                    withRoom(repository, size, () -> flights.install(repository, digest, spool, size));
                }
            });
        } catch (RemoteFailure f) {
            throw clientError(UpstreamFailure.of(proxy.registry(), f), () -> new RegistryException.BlobUnknown(digest));
        } catch (UpstreamFailure f) {
            throw clientError(f, () -> new RegistryException.BlobUnknown(digest));
        }
    }

    /** A blob's size for a HEAD: what is stored, or what the upstream says (the bytes are fetched by the GET). */
    public BlobContent blobHead(ProxyProject proxy, RepositoryName repository, Digest digest) {
        Optional<BlobContent> held = held(repository, digest);
        if (held.isPresent()) {
            return held.get();
        }
        Upstream upstream = upstream(proxy, repository);
        try {
            long size = ask(upstream, () -> client.headBlob(upstream.remote(), upstream.repository(), digest.toString()));
            return new SizeOnly(digest, size);
        } catch (RemoteFailure f) {
            throw clientError(UpstreamFailure.of(proxy.registry(), f), () -> new RegistryException.BlobUnknown(digest));
        } catch (UpstreamFailure f) {
            throw clientError(f, () -> new RegistryException.BlobUnknown(digest));
        }
    }

    /**
     * The blob when the repository holds it, or when Berth stores it for another repository and a
     * manifest cached in this one references it (the upstream vouched for it): then it is linked
     * here without asking the upstream. A digest no cached manifest names is not taken from other
     * repositories: that would hand out private blobs to whoever guesses their digest.
     */
    private Optional<BlobContent> held(RepositoryName repository, Digest digest) {
        if (links.isLinked(repository, digest)) {
            Optional<BlobContent> stored = blobs.open(digest);
            if (stored.isPresent()) {
                return stored;
            }
        }
        if (blobs.size(digest).isPresent() && manifests.anyReferences(repository, digest)
                && uploads.mount(repository, digest, Optional.empty(), r -> true)) {
            return blobs.open(digest);
        }
        return Optional.empty();
    }

    private StoredManifest fetchManifest(ProxyProject proxy, RepositoryName repository, Reference reference,
                                         Optional<StoredManifest> cached) {
        Upstream upstream = upstream(proxy, repository);
        try {
            if (reference instanceof Reference.ByTag t && cached.isPresent()) {
                RemoteManifest.Head head = ask(upstream,
                        () -> client.headManifest(upstream.remote(), upstream.repository(), t.tag().value()));
                if (head.digest().equals(cached.get().digest().toString())) {
                    checked(repository, t.tag());
                    metrics.hit();
                    return cached.get();
                }
            }
            metrics.miss();
            RemoteManifest fetched = ask(upstream,
                    () -> client.getManifest(upstream.remote(), upstream.repository(), reference.toString()));
            StoredManifest stored = withRoom(repository, fetched.bytes().length,
                    () -> manifestService.cache(repository, reference, fetched.bytes(), fetched.mediaType()));
            if (reference instanceof Reference.ByTag t) {
                checked(repository, t.tag());
            }
            return stored;
        } catch (RemoteFailure f) {
            throw UpstreamFailure.of(proxy.registry(), f);
        } catch (RegistryException.DigestInvalid | RegistryException.ManifestInvalid e) {
            // the upstream's manifest is not what was asked for, or not a manifest: not stored
            throw new UpstreamFailure("invalid", "upstream registry '" + proxy.registry() + "' sent a manifest Berth refuses: "
                    + e.getMessage(), Optional.empty(), false);
        }
    }

    /** Runs a request to the upstream through its gate, and tells the gate how it went. */
    private <T> T ask(Upstream upstream, RemoteCall<T> call) throws RemoteFailure {
        gate.admit(upstream.registry());
        try {
            T result = call.run();
            gate.answered(upstream.registry());
            metrics.upstream(upstream.registry(), "ok");
            return result;
        } catch (RemoteFailure f) {
            gate.failed(upstream.registry(), f);
            metrics.upstream(upstream.registry(), UpstreamFailure.label(f.reason()));
            throw f;
        }
    }

    @FunctionalInterface
    private interface RemoteCall<T> {
        T run() throws RemoteFailure;
    }

    /** Stores within the project's quota, evicting the least recently pulled artifacts when it is full. */
    private <T> T withRoom(RepositoryName repository, long size, java.util.function.Supplier<T> store) {
        try {
            return UniqueViolations.retryOnce(store);
        } catch (RegistryException.Denied full) {
            if (!eviction.makeRoom(repository, size)) {
                throw full;
            }
            return UniqueViolations.retryOnce(store);
        }
    }

    private void withRoom(RepositoryName repository, long size, Runnable store) {
        withRoom(repository, size, () -> {
            store.run();
            return null;
        });
    }

    private boolean fresh(ProxyProject proxy, RepositoryName repository, Tag tag) {
        if (proxy.tagTtl().isZero()) {
            return false;
        }
        return tagChecks.checkedAt(repository, tag)
                .map(at -> at.plus(proxy.tagTtl()).isAfter(Instant.now()))
                .orElse(false);
    }

    private void checked(RepositoryName repository, Tag tag) {
        UniqueViolations.retryOnce(() -> {
            tagChecks.checked(repository, tag, Instant.now());
            return null;
        });
    }

    private Upstream upstream(ProxyProject proxy, RepositoryName repository) {
        RemoteRegistry remote = endpoints.connection(proxy.registry());
        String host = Optional.ofNullable(remote.url().getHost()).orElse("");
        try {
            return new Upstream(proxy.registry(), remote, proxy.upstreamRepository(repository, DOCKER_HUB.contains(host)));
        } catch (IllegalArgumentException e) {
            throw new RegistryException.NameUnknown("a repository of proxy project '" + proxy.project()
                    + "' names an upstream repository after the project: " + proxy.project() + "/NAME", repository.value());
        }
    }

    /**
     * What the client gets when nothing is cached: the upstream's "not found" as this registry's,
     * 429 with when to retry, and any other failure as 503 naming the upstream and what it did.
     */
    private static RegistryException clientError(UpstreamFailure f, java.util.function.Supplier<RegistryException> notFound) {
        if (f.notFound()) {
            return notFound.get();
        }
        if (f.rateLimited()) {
            return new RegistryException.TooManyRequests(f.getMessage() + " (nothing cached to serve meanwhile)",
                    f.retryAfter().map(Duration::toSeconds).orElse(60L));
        }
        return new RegistryException.Unavailable(f.getMessage() + " (nothing cached to serve meanwhile)");
    }

    /** A blob known by its size only, for a HEAD answered from the upstream. */
    private record SizeOnly(Digest digest, long size) implements BlobContent {
        @Override
        public void writeTo(java.io.OutputStream out, long offset, long length) {
            throw new UnsupportedOperationException("a HEAD carries no bytes");
        }
    }
}
