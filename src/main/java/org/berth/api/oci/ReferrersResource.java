package org.berth.api.oci;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.berth.application.ManifestService;
import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.domain.RepositoryName;

/**
 * end-12a/12b: {@code GET /v2/NAME/referrers/DIGEST}: always an OCI image index of the manifests
 * whose subject is DIGEST, empty when there are none (OCI dist-spec "Listing Referrers").
 */
@ApplicationScoped
@Path(OciRoutes.REFERRERS)
public class ReferrersResource {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    ManifestService manifests;

    @GET
    public Response list(@PathParam("name") String name, @PathParam("digest") String digest,
                         @QueryParam("artifactType") String artifactType) {
        String filter = artifactType == null || artifactType.isEmpty() ? null : artifactType;
        JsonArrayBuilder descriptors = JSON.createArrayBuilder();
        for (ManifestService.Referrer r : manifests.referrers(RepositoryName.parse(name), Digest.parse(digest), filter)) {
            JsonObjectBuilder d = JSON.createObjectBuilder()
                    .add("mediaType", r.descriptor().mediaType())
                    .add("digest", r.descriptor().digest().toString())
                    .add("size", r.descriptor().size());
            if (r.descriptor().artifactType() != null) {
                d.add("artifactType", r.descriptor().artifactType());
            }
            if (!r.annotations().isEmpty()) {
                JsonObjectBuilder a = JSON.createObjectBuilder();
                r.annotations().forEach(a::add);
                d.add("annotations", a);
            }
            descriptors.add(d);
        }
        String index = JSON.createObjectBuilder()
                .add("schemaVersion", 2)
                .add("mediaType", MediaTypes.OCI_INDEX)
                .add("manifests", descriptors)
                .build().toString();
        Response.ResponseBuilder response = Response.ok(index).type(MediaTypes.OCI_INDEX);
        if (filter != null) {
            response.header(OciHeaders.OCI_FILTERS_APPLIED, "artifactType");
        }
        return response.build();
    }
}
