package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.ProjectService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.Member;

/** {@code /api/v1/projects/{project}/members}: who has which role in a project. */
@RequestScoped
@Path(AdminRoutes.MEMBERS)
public class MemberResource {

    @Inject
    ProjectService projects;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response list(@PathParam("project") String project) {
        return Response.ok(AdminJson.array(projects.members(project), AdminJson::member), MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @POST
    @Audited(value = Operation.MEMBER_ADD, type = "member", resource = "{body.username}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response add(@PathParam("project") String project, String body, @Context UriInfo uri) {
        JsonRequest json = JsonRequest.parse(body);
        Member member = projects.addMember(project, json.requiredString("username"), json.role("role"));
        return Response.created(uri.getAbsolutePathBuilder().path(member.username()).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(AdminJson.member(member).toString()).build();
    }

    @PUT
    @Path(AdminRoutes.MEMBER)
    @Audited(value = Operation.MEMBER_UPDATE, type = "member", resource = "{username}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response changeRole(@PathParam("project") String project, @PathParam("username") String username, String body) {
        JsonRequest json = JsonRequest.parse(body);
        Member member = projects.changeRole(project, username, json.role("role"));
        return Response.ok(AdminJson.member(member).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @DELETE
    @Path(AdminRoutes.MEMBER)
    @Audited(value = Operation.MEMBER_REMOVE, type = "member", resource = "{username}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response remove(@PathParam("project") String project, @PathParam("username") String username) {
        projects.removeMember(project, username);
        return Response.noContent().build();
    }
}
