package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.ArtifactService;
import org.berth.application.Listing;
import org.berth.application.RepositoryService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.Digest;
import org.berth.domain.Reference;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

import org.berth.domain.Tag;

/** {@code /api/v1/repositories/{name}}: one repository, its artifacts and tags. */
@RequestScoped
@Path(AdminRoutes.REPOSITORIES)
public class RepositoryResource {

    @Inject
    RepositoryService repositories;

    @Inject
    ArtifactService artifacts;

    @Inject
    AdminCaller caller;

    @GET
    @Path(AdminRoutes.REPOSITORY)
    @Requires(value = Privilege.REPOSITORY_READ, target = "{name}")
    public Response get(@PathParam("name") String name) {
        RepositoryName repository = RepositoryName.parse(name);
        return json(ContentJson.repository(repositories.get(repository)).toString());
    }

    @DELETE
    @Path(AdminRoutes.REPOSITORY)
    @Audited(value = Operation.DELETE, type = "repository", resource = "{name}")
    @Requires(value = Privilege.REPOSITORY_DELETE, target = "{name}")
    public Response delete(@PathParam("name") String name) {
        RepositoryName repository = RepositoryName.parse(name);
        repositories.delete(repository);
        return Response.noContent().build();
    }

    @GET
    @Path(AdminRoutes.ARTIFACTS)
    @Requires(value = Privilege.REPOSITORY_READ, target = "{name}")
    public Response artifacts(@PathParam("name") String name, @QueryParam("page") String page,
                              @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        RepositoryName repository = RepositoryName.parse(name);
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<ArtifactService.Artifact> listing = artifacts.list(repository, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), ContentJson::artifact)).build();
    }

    @GET
    @Path(AdminRoutes.ARTIFACT)
    @Requires(value = Privilege.REPOSITORY_READ, target = "{name}")
    public Response artifact(@PathParam("name") String name, @PathParam("reference") String reference) {
        RepositoryName repository = RepositoryName.parse(name);
        return json(ContentJson.artifact(artifacts.get(repository, reference(reference))).toString());
    }

    @DELETE
    @Path(AdminRoutes.ARTIFACT)
    @Audited(value = Operation.DELETE, type = "artifact", resource = "{name}@{reference}")
    @Requires(value = Privilege.REPOSITORY_DELETE, target = "{name}")
    public Response deleteArtifact(@PathParam("name") String name, @PathParam("reference") String digest) {
        RepositoryName repository = RepositoryName.parse(name);
        artifacts.delete(repository, digest(digest));
        return Response.noContent().build();
    }

    @POST
    @Path(AdminRoutes.ARTIFACT_TAGS)
    @Audited(value = Operation.TAG_ADD, type = "tag", resource = "{name}:{body.name}")
    @Requires(value = Privilege.REPOSITORY_PUSH, target = "{name}")
    public Response addTag(@PathParam("name") String name, @PathParam("digest") String digest, String body,
                           @Context UriInfo uri) {
        RepositoryName repository = RepositoryName.parse(name);
        Tag tag = new Tag(JsonRequest.parse(body).requiredString("name"));
        ArtifactService.Artifact artifact = artifacts.addTag(repository, digest(digest), tag);
        return Response.created(uri.getBaseUriBuilder().path(AdminRoutes.REPOSITORIES).path(repository.value())
                        .path("artifacts").path(tag.value()).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ContentJson.artifact(artifact).toString()).build();
    }

    @DELETE
    @Path(AdminRoutes.TAG)
    @Audited(value = Operation.DELETE, type = "tag", resource = "{name}:{tag}")
    @Requires(value = Privilege.REPOSITORY_DELETE, target = "{name}")
    public Response deleteTag(@PathParam("name") String name, @PathParam("tag") String tag) {
        RepositoryName repository = RepositoryName.parse(name);
        if (!Tag.isValid(tag)) {
            throw new RegistryException.ManifestUnknown("tag '" + tag + "' not found", tag);
        }
        artifacts.deleteTag(repository, new Tag(tag));
        return Response.noContent().build();
    }

    /** An artifact reference: a digest or a tag; a string that is neither names nothing stored. */
    private static Reference reference(String value) {
        try {
            return Reference.parse(value);
        } catch (RegistryException.TagInvalid e) {
            throw new RegistryException.ManifestUnknown(value);
        }
    }

    private static Digest digest(String value) {
        if (!(reference(value) instanceof Reference.ByDigest d)) {
            throw new RegistryException.InvalidRequest("'" + value + "' is not a digest such as sha256:...");
        }
        return d.digest();
    }

    private static Response json(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
