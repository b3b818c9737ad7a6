package org.berth.api.admin;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.Listing;
import org.berth.application.ProjectService;
import org.berth.application.proxy.ProxyProjectService;
import org.berth.application.proxy.ProxyProjects;
import org.berth.domain.proxy.RegistryEndpointStore;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.proxy.ProxyProject;

/** {@code /api/v1/projects}: projects and their visibility. */
@RequestScoped
@Path(AdminRoutes.PROJECTS)
public class ProjectResource {

    @Inject
    ProjectService projects;

    @Inject
    AdminCaller caller;

    @Inject
    ProxyProjectService proxyProjects;

    @Inject
    ProxyProjects proxies;

    @Inject
    RegistryEndpointStore registries;

    @POST
    @Requires(Privilege.ACCOUNT_SELF)
    @Audited(value = Operation.PROJECT_CREATE, type = "project", resource = "{body.name}")
    public Response create(String body, @Context UriInfo uri) {
        String creator = caller.username();
        JsonRequest json = JsonRequest.parse(body);
        String name = json.requiredString("name");
        boolean isPublic = json.bool("public").orElse(false);
        Optional<String> registry = json.string("registry").filter(r -> !r.isEmpty());
        Project project;
        if (registry.isPresent()) {
            // a proxy project pulls with the endpoint's credentials, which only system administrators set
            if (!caller.holds(Privilege.SYSTEM_ADMIN, null)) {
                throw new RegistryException.Denied("only system administrators create proxy-cache projects");
            }
            project = proxyProjects.create(name, isPublic, creator, registry.get(), tagTtl(json));
        } else {
            if (json.value("tag_ttl_seconds").isPresent()) {
                throw new RegistryException.InvalidRequest("tag_ttl_seconds applies to proxy-cache projects only: give a registry too");
            }
            project = projects.create(name, isPublic, creator);
        }
        return Response.created(uri.getAbsolutePathBuilder().path(project.name()).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json(project).toString()).build();
    }

    /** Public projects and those the caller may see; anyone may ask. */
    @GET
    @Requires(Privilege.ANYONE)
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @QueryParam("name") String name, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<Project> listing = projects.list(caller.identity(), name, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), this::json)).build();
    }

    @GET
    @Path(AdminRoutes.PROJECT)
    @Requires(value = Privilege.PROJECT_READ, target = "{project}")
    public Response get(@PathParam("project") String name) {
        return ok(projects.get(name));
    }

    @PATCH
    @Path(AdminRoutes.PROJECT)
    @Audited(value = Operation.PROJECT_UPDATE, type = "project", resource = "{project}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response update(@PathParam("project") String name, String body) {
        JsonRequest json = JsonRequest.parse(body);
        Optional<Duration> tagTtl = tagTtl(json);
        Project project = json.bool("public").map(p -> projects.setPublic(name, p)).orElseGet(() -> projects.get(name));
        tagTtl.ifPresent(ttl -> proxyProjects.setTagTtl(name, ttl));
        return ok(project);
    }

    @DELETE
    @Path(AdminRoutes.PROJECT)
    @Audited(value = Operation.PROJECT_DELETE, type = "project", resource = "{project}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response delete(@PathParam("project") String name) {
        projects.delete(name);
        return Response.noContent().build();
    }

    private Response ok(Project project) {
        return Response.ok(json(project).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** A project, with its upstream when it is a proxy cache. */
    private JsonObject json(Project project) {
        Optional<ProxyProject> proxy = proxies.find(project.name());
        return AdminJson.project(project, proxy, proxy.flatMap(p -> registries.find(p.registry())).map(e -> e.url().toString()));
    }

    private static Optional<Duration> tagTtl(JsonRequest json) {
        if (json.value("tag_ttl_seconds").isEmpty()) {
            return Optional.empty();
        }
        long seconds = json.requiredLong("tag_ttl_seconds");
        if (seconds < 0 || seconds > ProxyProject.MAX_TAG_TTL.toSeconds()) {
            throw new RegistryException.InvalidRequest("tag_ttl_seconds must be from 0 to " + ProxyProject.MAX_TAG_TTL.toSeconds());
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }
}
