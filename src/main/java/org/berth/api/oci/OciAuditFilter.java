package org.berth.api.oci;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import org.berth.api.AuditOutcome;
import org.berth.application.AuditService;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * Audits the manifest routes of /v2, whatever their outcome (a refused push included): PUT is a
 * push, GET a pull (HEAD is not: clients probe with it), DELETE a delete of the artifact (by
 * digest) or of the tag. Blob traffic is not audited; a push or pull is its manifest.
 */
@Provider
public class OciAuditFilter implements ContainerResponseFilter {

    @Context
    ResourceInfo resource;

    @Inject
    AuditService audit;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (resource.getResourceClass() != ManifestResource.class) {
            return;
        }
        Operation operation = switch (request.getMethod()) {
            case "PUT" -> Operation.PUSH;
            case "GET" -> Operation.PULL;
            case "DELETE" -> Operation.DELETE;
            default -> null;
        };
        if (operation == null) {
            return;
        }
        String name = request.getUriInfo().getPathParameters().getFirst("name");
        String reference = request.getUriInfo().getPathParameters().getFirst("reference");
        String repository;
        String project;
        try {
            RepositoryName parsed = RepositoryName.parse(name);
            repository = parsed.value();
            project = Project.of(parsed);
        } catch (RegistryException e) {
            return; // not a repository name: nothing was pushed or pulled
        }
        boolean byDigest = reference != null && reference.contains(":"); // a tag has no colon
        String target = AuditOutcome.clip(repository + (byDigest ? "@" : ":") + reference, AuditOutcome.MAX_RESOURCE);
        String type = operation == Operation.DELETE && !byDigest ? "tag" : "artifact";
        boolean success = AuditOutcome.success(response);
        String detail = success ? response.getHeaderString(OciHeaders.CONTENT_DIGEST) : AuditOutcome.failureDetail(request, response);
        audit.record(operation, type, target, project, success, detail);
    }
}
