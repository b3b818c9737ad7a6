package org.berth.api.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.AuditService;
import org.berth.application.Listing;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry;
import org.berth.domain.AuditQuery;
import org.berth.domain.RegistryException;

/**
 * {@code /api/v1/audit-logs}: the audit log, newest first, for system administrators, and for
 * project administrators when they name their project ({@code ?project=}).
 */
@RequestScoped
@Path(AdminRoutes.AUDIT_LOGS)
public class AuditResource {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    AuditService audit;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(value = Privilege.AUDIT_READ, target = "?project")
    public Response list(@QueryParam("project") String project, @QueryParam("username") String username,
                         @QueryParam("operation") String operation, @QueryParam("resource") String resource,
                         @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("page") String page, @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        return respond(audit, query(project, username, operation, resource, from, to), page, pageSize, uri);
    }

    static Response respond(AuditService audit, AuditQuery query, String page, String pageSize, UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<AuditEntry> listing = audit.list(query, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), AuditResource::json)).build();
    }

    static AuditQuery query(String project, String username, String operation, String resource, String from, String to) {
        AuditEntry.Operation op = null;
        if (!blank(operation)) {
            try {
                op = AuditEntry.Operation.fromJson(operation);
            } catch (IllegalArgumentException e) {
                throw new RegistryException.InvalidRequest("'operation': " + e.getMessage());
            }
        }
        return new AuditQuery(blankToNull(project), blankToNull(username), op, blankToNull(resource),
                instant("from", from), instant("to", to));
    }

    static JsonObject json(AuditEntry e) {
        return JSON.createObjectBuilder()
                .add("id", e.id())
                .add("at", AdminJson.instant(e.at()))
                .add("username", e.username())
                .add("kind", e.kind().jsonName())
                .add("source_ip", text(e.sourceIp()))
                .add("operation", e.operation().jsonName())
                .add("resource_type", e.resourceType())
                .add("resource", text(e.resource()))
                .add("project", text(e.project()))
                .add("result", e.success() ? "success" : "failure")
                .add("detail", text(e.detail()))
                .build();
    }

    private static JsonValue text(String value) {
        return value == null ? JsonValue.NULL : JSON.createValue(value);
    }

    /** ISO-8601 with an offset: {@code 2026-11-28T14:00:00Z} or {@code 2026-11-28T15:00:00+01:00}. */
    private static Instant instant(String field, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new RegistryException.InvalidRequest("'" + field + "' must be an ISO-8601 instant such as 2026-11-28T14:00:00Z");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return blank(value) ? null : value.trim();
    }
}
