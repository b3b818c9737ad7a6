package org.berth.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.domain.RegistryException;
import org.berth.remote.RemoteFailure.Reason;
import org.berth.remote.RemoteTransport.Call;

/**
 * The referrers of a manifest (OCI dist-spec 1.1 "Listing Referrers", end-12): the referrers API,
 * its pages followed through {@code Link: <...>; rel="next"}; when the registry answers 404 (it has
 * no such API, as Distribution 2.8), the index under the referrers tag {@code <alg>-<ref>}.
 * Every page is capped at {@link RegistryClient#MAX_MANIFEST_BYTES}, the whole at
 * {@link Referrers#MAX_REFERRERS}; the artifact type filter is applied here too, as a registry
 * may ignore it (it says so by leaving out {@code OCI-Filters-Applied}).
 */
final class ReferrerLists {

    private final RemoteTransport transport;
    private final RegistryClient client;

    ReferrerLists(RemoteTransport transport, RegistryClient client) {
        this.transport = transport;
        this.client = client;
    }

    /** The referrers tag schema's tag: {@code <alg>-<ref>}, the algorithm cut to 32 and the encoded part to 64 characters. */
    static String tag(String digest) {
        Digest d = Digest.parse(digest);
        String alg = d.algorithm().prefix();
        return alg.substring(0, Math.min(32, alg.length())) + "-" + d.hex().substring(0, Math.min(64, d.hex().length()));
    }

    Referrers list(RemoteRegistry r, String repository, String digest, String artifactType) throws RemoteFailure {
        RegistryClient.blobUri(r, repository, digest); // checks both
        String query = artifactType == null || artifactType.isEmpty() ? ""
                : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
        String path = "/v2/" + RegistryClient.repository(repository) + "/referrers/" + digest;
        URI next = r.resolve(path + query);
        List<Descriptor> found = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            Call call = new Call("GET", next, repository, MediaTypes.OCI_INDEX);
            Page p;
            try {
                p = transport.call(r, call, response -> page(call, response, path));
            } catch (RemoteFailure f) {
                if (page == 0 && f.reason() == Reason.NOT_FOUND) {
                    return fromTag(r, repository, digest, artifactType);
                }
                throw f;
            }
            add(found, p.manifests(), artifactType, next);
            if (p.next().isPresent() && p.next().get().equals(next)) {
                throw UpstreamFailures.invalid("GET", next, 200, "referrers page links to itself");
            }
            next = p.next().orElse(null);
        }
        return new Referrers(found, false);
    }

    private Referrers fromTag(RemoteRegistry r, String repository, String digest, String artifactType) throws RemoteFailure {
        RemoteManifest index;
        try {
            index = client.getManifest(r, repository, tag(digest));
        } catch (RemoteFailure f) {
            if (f.reason() == Reason.NOT_FOUND) {
                return new Referrers(List.of(), true);
            }
            throw f;
        }
        URI where = r.resolve("/v2/" + RegistryClient.repository(repository) + "/manifests/" + tag(digest));
        if (!MediaTypes.OCI_INDEX.equals(index.mediaType())) {
            throw UpstreamFailures.invalid("GET", where, 200, "referrers tag is not an OCI index");
        }
        List<Descriptor> found = new ArrayList<>();
        add(found, manifests(BoundedBody.objectOrNull(index.bytes()), where, 200), artifactType, where);
        return new Referrers(found, true);
    }

    private record Page(List<Descriptor> manifests, Optional<URI> next) {
    }

    private Page page(Call call, HttpResponse<InputStream> response, String path) throws IOException, RemoteFailure {
        int status = response.statusCode();
        byte[] bytes = transport.read(response, RegistryClient.MAX_MANIFEST_BYTES);
        if (bytes.length > RegistryClient.MAX_MANIFEST_BYTES) {
            throw UpstreamFailures.invalid("GET", response.uri(), status, "referrers larger than " + RegistryClient.MAX_MANIFEST_BYTES + " bytes");
        }
        List<Descriptor> manifests = manifests(BoundedBody.objectOrNull(bytes), response.uri(), status);
        Optional<URI> next = RegistryClient.nextLink(response.headers().allValues("Link"), response.uri());
        if (next.isPresent() && !(RemoteTransport.sameOrigin(call.uri(), next.get()) && path.equals(next.get().getRawPath()))) {
            throw UpstreamFailures.invalid("GET", response.uri(), status, "referrers Link leaves the referrers of this manifest");
        }
        return new Page(manifests, next);
    }

    /** The {@code manifests} of an image index, each a well-formed descriptor. */
    private static List<Descriptor> manifests(JsonObject index, URI uri, int status) throws RemoteFailure {
        if (index == null) {
            throw UpstreamFailures.invalid("GET", uri, status, "referrers are not a JSON object");
        }
        JsonValue value = index.get("manifests");
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw UpstreamFailures.invalid("GET", uri, status, "referrers without a manifests array");
        }
        List<Descriptor> result = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonObject d)) {
                throw UpstreamFailures.invalid("GET", uri, status, "referrers hold a non-object");
            }
            String mediaType = BoundedBody.string(d, "mediaType");
            String digest = BoundedBody.string(d, "digest");
            if (mediaType == null || digest == null || !(d.get("size") instanceof JsonNumber size) || !size.isIntegral()
                    || size.longValue() < 0) {
                throw UpstreamFailures.invalid("GET", uri, status, "referrer without mediaType, digest or size");
            }
            try {
                result.add(new Descriptor(mediaType, Digest.parse(digest), size.longValue(), BoundedBody.string(d, "artifactType")));
            } catch (RegistryException e) {
                throw UpstreamFailures.invalid("GET", uri, status, "referrer with a malformed digest");
            }
        }
        return result;
    }

    private static void add(List<Descriptor> into, List<Descriptor> page, String artifactType, URI uri) throws RemoteFailure {
        for (Descriptor d : page) {
            if (artifactType == null || artifactType.isEmpty() || artifactType.equals(d.artifactType())) {
                if (into.size() >= Referrers.MAX_REFERRERS) {
                    throw UpstreamFailures.invalid("GET", uri, 200, "more than " + Referrers.MAX_REFERRERS + " referrers");
                }
                into.add(d);
            }
        }
    }
}
