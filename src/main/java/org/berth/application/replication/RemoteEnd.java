package org.berth.application.replication;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.domain.Descriptor;
import org.berth.domain.ManifestDocument;
import org.berth.domain.MediaTypes;
import org.berth.domain.replication.Glob;
import org.berth.remote.BlobPush;
import org.berth.remote.BlobSource;
import org.berth.remote.PushedManifest;
import org.berth.remote.RegistryClient;
import org.berth.remote.RemoteBlob;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteManifest;
import org.berth.remote.RemoteRegistry;
import org.berth.remote.TagPage;

/**
 * A registry endpoint as one end of a replication, through the one {@link RegistryClient}. A
 * referrer pushed to a registry that does not take {@code subject} (it sends no
 * {@code OCI-Subject}, as Distribution 2.8) is also added to the referrers tag's index
 * ({@code sha256-<hex>}, OCI dist-spec 1.1 "Pushing Manifests with Subject"), so that it stays
 * attached to its subject there.
 */
final class RemoteEnd implements ReplicationEnd {

    private static final JsonProvider JSON = JsonProvider.provider();
    static final int PAGE = 1000;

    private final RegistryClient client;
    private final RemoteRegistry registry;
    private final BlobPush push;
    private final BiFunction<String, String, BlobPush.Sessions> sessions;

    /**
     * @param sessions where the upload session of a blob (by destination repository and digest)
     *                 is kept while it is pushed, so that a later push continues it
     */
    RemoteEnd(RegistryClient client, RemoteRegistry registry, BlobPush push,
              BiFunction<String, String, BlobPush.Sessions> sessions) {
        this.client = client;
        this.registry = registry;
        this.push = push;
        this.sessions = sessions;
    }

    @Override
    public void repositories(Glob filter, Consumer<String> each) throws RemoteFailure {
        if (!filter.isEmpty() && !filter.hasWildcards()) {
            each.accept(filter.text()); // one repository: no catalog needed (many registries refuse it)
            return;
        }
        String last = null;
        for (int pages = 0; pages < 100_000; pages++) {
            TagPage page = client.catalog(registry, PAGE, last);
            page.tags().stream().filter(filter::matches).forEach(each);
            if (page.next().isEmpty() || page.tags().isEmpty() || page.next().get().equals(last)) {
                return;
            }
            last = page.next().get();
        }
    }

    @Override
    public void tags(String repository, Consumer<List<String>> page) throws RemoteFailure {
        var cursor = client.tags(registry, repository, PAGE);
        while (cursor.hasNext()) {
            page.accept(cursor.next());
        }
    }

    @Override
    public Optional<RemoteManifest> manifest(String repository, String reference) throws RemoteFailure {
        try {
            return Optional.of(client.getManifest(registry, repository, reference));
        } catch (RemoteFailure f) {
            if (f.reason() == RemoteFailure.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw f;
        }
    }

    @Override
    public Optional<String> resolve(String repository, String reference) throws RemoteFailure {
        try {
            return Optional.of(client.headManifest(registry, repository, reference).digest());
        } catch (RemoteFailure f) {
            if (f.reason() == RemoteFailure.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw f;
        }
    }

    @Override
    public List<Descriptor> referrers(String repository, String digest) throws RemoteFailure {
        try {
            return client.listReferrers(registry, repository, digest, null).manifests();
        } catch (RemoteFailure f) {
            if (f.reason() == RemoteFailure.Reason.NOT_FOUND) {
                return List.of();
            }
            throw f;
        }
    }

    @Override
    public boolean hasBlob(String repository, String digest) throws RemoteFailure {
        return client.blobExists(registry, repository, digest);
    }

    @Override
    public BlobSource blob(String repository, String digest, long size) {
        return new BlobSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open(long offset) throws IOException {
                RemoteBlob blob;
                try {
                    blob = client.getBlob(registry, repository, digest);
                } catch (RemoteFailure f) {
                    throw new IOException("the source's blob " + digest + ": " + f.getMessage(), f);
                }
                InputStream body = blob.body();
                try {
                    body.skipNBytes(offset);
                } catch (IOException e) {
                    blob.close();
                    throw e;
                }
                // a pull's bandwidth cap applies where the bytes are read
                return push.bytesPerSecond() > 0 ? new MeteredStream(body, push.bytesPerSecond(), n -> { }) : body;
            }
        };
    }

    @Override
    public long putBlob(String repository, String digest, BlobSource source, LongConsumer progress) throws RemoteFailure {
        return client.pushBlob(registry, repository, digest, source,
                push.withProgress((bytes, size) -> progress.accept(bytes)).withSessions(sessions.apply(repository, digest)))
                .bytesSent();
    }

    @Override
    public boolean mount(String repository, String digest, String from) throws RemoteFailure {
        return from != null && !from.equals(repository) && client.mountBlob(registry, repository, digest, from);
    }

    @Override
    public void putManifest(String repository, String reference, RemoteManifest manifest) throws RemoteFailure {
        PushedManifest pushed = client.putManifest(registry, repository, reference, manifest.mediaType(), manifest.bytes());
        ManifestDocument document = ManifestDocument.parse(manifest.bytes(), manifest.mediaType());
        if (document.subject() != null && pushed.subject().isEmpty()) {
            addToReferrersTag(repository, document.subject().digest().toString(), new Descriptor(manifest.mediaType(),
                    org.berth.domain.Digest.parse(manifest.digest()), manifest.bytes().length, document.effectiveArtifactType()),
                    document.annotations());
        }
    }

    /** Adds the referrer to the index under the subject's referrers tag, unless it is listed there already. */
    private void addToReferrersTag(String repository, String subject, Descriptor referrer, Map<String, String> annotations)
            throws RemoteFailure {
        String tag = RegistryClient.referrersTag(subject);
        Optional<RemoteManifest> current = manifest(repository, tag);
        JsonArrayBuilder manifests = JSON.createArrayBuilder();
        if (current.isPresent()) {
            JsonObject index = object(current.get().bytes());
            if (index.get("manifests") instanceof jakarta.json.JsonArray listed) {
                for (JsonValue entry : listed) {
                    if (entry instanceof JsonObject o && referrer.digest().toString().equals(o.getString("digest", null))) {
                        return;
                    }
                    manifests.add(entry);
                }
            }
        }
        JsonObjectBuilder descriptor = JSON.createObjectBuilder().add("mediaType", referrer.mediaType())
                .add("digest", referrer.digest().toString()).add("size", referrer.size());
        if (referrer.artifactType() != null) {
            descriptor.add("artifactType", referrer.artifactType());
        }
        if (!annotations.isEmpty()) {
            JsonObjectBuilder a = JSON.createObjectBuilder();
            annotations.forEach(a::add);
            descriptor.add("annotations", a);
        }
        manifests.add(descriptor);
        byte[] bytes = JSON.createObjectBuilder().add("schemaVersion", 2).add("mediaType", MediaTypes.OCI_INDEX)
                .add("manifests", manifests).build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        client.putManifest(registry, repository, tag, MediaTypes.OCI_INDEX, bytes);
    }

    @Override
    public boolean deleteManifest(String repository, String digest) throws RemoteFailure {
        return client.deleteManifest(registry, repository, digest);
    }

    @Override
    public Optional<String> refusesWrites(String repository) {
        return Optional.empty();
    }

    /** An index as JSON; an unreadable one is treated as empty (it is written anew with the referrer). */
    private static JsonObject object(byte[] bytes) {
        try (jakarta.json.JsonReader reader = JSON.createReader(new java.io.ByteArrayInputStream(bytes))) {
            return reader.readObject();
        } catch (jakarta.json.JsonException | IllegalStateException e) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
    }
}
