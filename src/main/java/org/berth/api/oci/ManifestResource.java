package org.berth.api.oci;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.berth.api.ExternalUrls;
import org.berth.application.ManifestService;
import org.berth.domain.ManifestDocument;
import org.berth.domain.MediaTypes;
import org.berth.domain.Reference;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;

/** end-3, end-7, end-9: manifests by tag or digest. */
@ApplicationScoped
@Path(OciRoutes.MANIFEST)
public class ManifestResource {

    @Inject
    ManifestService manifests;

    @Inject
    ExternalUrls urls;

    /** The current request (a CDI proxy: this resource is one instance for all requests). */
    @Inject
    HttpServletRequest request;

    @GET
    public Response get(@PathParam("name") String name, @PathParam("reference") String reference) {
        ManifestService.Content content = manifests.get(RepositoryName.parse(name), existingReference(reference));
        checkAcceptable(content.manifest());
        return describe(Response.ok(content.bytes()), content.manifest()).build();
    }

    @HEAD
    public Response head(@PathParam("name") String name, @PathParam("reference") String reference) {
        StoredManifest manifest = manifests.head(RepositoryName.parse(name), existingReference(reference));
        checkAcceptable(manifest);
        return describe(Response.ok(), manifest).build();
    }

    @PUT
    public Response put(@PathParam("name") String name, @PathParam("reference") String reference, InputStream body) {
        RepositoryName repository = RepositoryName.parse(name);
        Reference parsed = Reference.parse(reference);
        byte[] bytes = readLimited(body);
        StoredManifest stored = manifests.put(repository, parsed, bytes, request.getHeader(HttpHeaders.CONTENT_TYPE));
        Response.ResponseBuilder response = Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, urls.absolute(OciRoutes.manifestPath(repository.value(), stored.digest().toString())))
                .header(OciHeaders.CONTENT_DIGEST, stored.digest().toString())
                .header(HttpHeaders.CONTENT_LENGTH, 0);
        if (stored.subject() != null) {
            // OCI dist-spec "Pushing Manifests with Subject": tells the client referrers are tracked.
            response.header(OciHeaders.OCI_SUBJECT, stored.subject().toString());
        }
        return response.build();
    }

    @DELETE
    public Response delete(@PathParam("name") String name, @PathParam("reference") String reference) {
        manifests.delete(RepositoryName.parse(name), existingReference(reference));
        return Response.accepted().header(HttpHeaders.CONTENT_LENGTH, 0).build();
    }

    /**
     * A reference to read or delete: a string that is not a valid tag cannot name anything stored,
     * so it is unknown (404) rather than invalid; only a push is told its tag is invalid.
     */
    private static Reference existingReference(String reference) {
        try {
            return Reference.parse(reference);
        } catch (RegistryException.TagInvalid e) {
            throw new RegistryException.ManifestUnknown(reference);
        }
    }

    private static Response.ResponseBuilder describe(Response.ResponseBuilder response, StoredManifest manifest) {
        return response.type(manifest.mediaType())
                .header(OciHeaders.CONTENT_DIGEST, manifest.digest().toString())
                .header(HttpHeaders.CONTENT_LENGTH, manifest.size())
                .header(HttpHeaders.ETAG, "\"" + manifest.digest() + "\"");
    }

    /**
     * Content negotiation as Distribution does it: an index is not served to a client that says it
     * cannot read indexes; anything else is served as stored.
     */
    private void checkAcceptable(StoredManifest manifest) {
        if (!MediaTypes.INDEXES.contains(manifest.mediaType())) {
            return;
        }
        List<String> accepted = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        if (accepted == null || accepted.isEmpty()) {
            return;
        }
        String all = String.join(",", accepted);
        if (all.contains("*/*") || all.contains(manifest.mediaType()) || all.isBlank()) {
            return;
        }
        throw new RegistryException.ManifestUnknown(
                "the manifest is an index (" + manifest.mediaType() + ") and the Accept header does not include that type",
                manifest.digest().toString());
    }

    /** Reads the body, refusing more than {@link ManifestDocument#MAX_BYTES} without buffering it. */
    private byte[] readLimited(InputStream body) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && !declared.isBlank()) {
            try {
                if (Long.parseLong(declared.trim()) > ManifestDocument.MAX_BYTES) {
                    throw new RegistryException.SizeInvalid("manifest larger than " + ManifestDocument.MAX_BYTES + " bytes");
                }
            } catch (NumberFormatException e) {
                // the container rejects malformed Content-Length before we get here
            }
        }
        try {
            byte[] bytes = body.readNBytes(ManifestDocument.MAX_BYTES + 1);
            if (bytes.length > ManifestDocument.MAX_BYTES) {
                throw new RegistryException.SizeInvalid("manifest larger than " + ManifestDocument.MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new RegistryException.ManifestInvalid("could not read the manifest body");
        }
    }
}
