package org.berth.api.oci;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.berth.api.CurrentRequest;
import org.berth.application.proxy.ProxyProjects;
import org.berth.auth.Access;
import org.berth.auth.AccessRequest;
import org.berth.auth.AccessController;
import org.berth.domain.Action;
import org.berth.domain.RepositoryName;

/**
 * The access-check seam for /v2: works out what the matched route needs and asks the
 * {@link AccessController}. The HTTP-method-to-action table lives here and nowhere else.
 */
@Provider
public class OciAccessFilter implements ContainerRequestFilter {

    @Inject
    AccessController accessController;

    @Inject
    Caller caller;

    @Inject
    CurrentRequest current;

    @Inject
    ProxyProjects proxies;

    @Override
    public void filter(ContainerRequestContext request) {
        List<Access> needed = needed(request);
        AccessRequest accessRequest = current.accessRequest();
        caller.authorized(accessRequest, accessController.authorize(accessRequest, needed));
        // a proxy cache's content is its upstream's: no push, told before any body is read
        for (Access access : needed) {
            if (Access.REPOSITORY.equals(access.type()) && access.actions().contains(Action.PUSH)) {
                proxies.refusePush(RepositoryName.parse(access.name()));
            }
        }
    }

    static List<Access> needed(ContainerRequestContext request) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        String name = path.getFirst("name");
        List<Access> needed = new ArrayList<>();
        if (name == null) {
            if (request.getUriInfo().getPath().contains(OciRoutes.CATALOG)) {
                needed.add(Access.catalog());
            }
            return needed; // GET /v2/: authentication only
        }
        String repository = RepositoryName.parse(name).value();
        needed.add(Access.repository(repository, actionsFor(request.getMethod())));
        String from = request.getUriInfo().getQueryParameters().getFirst("from");
        if (from != null && request.getUriInfo().getQueryParameters().containsKey("mount")) {
            needed.add(Access.repository(RepositoryName.parse(from).value(), Set.of(Action.PULL)));
        }
        return needed;
    }

    /** Docker token spec: reads need pull; writes need push (with pull); DELETE needs delete. */
    static Set<Action> actionsFor(String method) {
        return switch (method) {
            case "GET", "HEAD" -> EnumSet.of(Action.PULL);
            case "DELETE" -> EnumSet.of(Action.DELETE);
            default -> EnumSet.of(Action.PULL, Action.PUSH);
        };
    }
}
