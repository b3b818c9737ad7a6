package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.CreatedSecret;
import org.berth.application.RobotService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.Robot;

/**
 * {@code /api/v1/projects/{project}/robots}: robot accounts. {@code {robot}} is the robot's name
 * or its login name {@code robot$<project>+<name>}.
 */
@RequestScoped
@Path(AdminRoutes.ROBOTS)
public class RobotResource {

    @Inject
    RobotService robots;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response list(@PathParam("project") String project) {
        return Response.ok(AdminJson.array(robots.list(project), r -> AdminJson.robot(r).build()),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The response is the only place the secret ever appears. */
    @POST
    @Audited(value = Operation.ROBOT_CREATE, type = "robot", resource = "{body.name}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response create(@PathParam("project") String project, String body, @Context UriInfo uri) {
        JsonRequest json = JsonRequest.parse(body);
        CreatedSecret<Robot> created = robots.create(project, json.requiredString("name"), json.actions("actions"),
                json.instant("expires_at").orElse(null));
        return ShownOnce.created(uri.getAbsolutePathBuilder().path(created.created().name()).build(),
                AdminJson.robot(created.created()).add("secret", created.secret()).build());
    }

    @PATCH
    @Path(AdminRoutes.ROBOT)
    @Audited(value = Operation.ROBOT_UPDATE, type = "robot", resource = "{robot}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response update(@PathParam("project") String project, @PathParam("robot") String robot, String body) {
        JsonRequest json = JsonRequest.parse(body);
        Robot updated = robots.setDisabled(project, robot, json.requiredBool("disabled"));
        return Response.ok(AdminJson.robot(updated).build().toString(),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    @DELETE
    @Path(AdminRoutes.ROBOT)
    @Audited(value = Operation.ROBOT_DELETE, type = "robot", resource = "{robot}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response delete(@PathParam("project") String project, @PathParam("robot") String robot) {
        robots.delete(project, robot);
        return Response.noContent().build();
    }
}
