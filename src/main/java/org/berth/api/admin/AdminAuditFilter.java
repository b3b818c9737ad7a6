package org.berth.api.admin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.berth.api.AuditOutcome;
import org.berth.application.AuditService;
import org.berth.domain.Project;
import org.berth.domain.RepositoryName;

/**
 * Sends every call of an {@link Audited} administration route to the audit log, with its outcome.
 * The resource's name comes from the path, or from the JSON body (kept aside before the resource
 * reads it; administration bodies are small) for routes that create something.
 */
@Provider
public class AdminAuditFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final String BODY = AdminAuditFilter.class.getName() + ".body";
    private static final int MAX_BODY = 64 * 1024;

    @Context
    ResourceInfo resource;

    @Inject
    AuditService audit;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Audited audited = audited();
        if (audited == null || !audited.resource().contains("{body.") || !request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = in.readNBytes(MAX_BODY + 1);
        // the resource reads the whole body again: what was kept aside, then the rest (which the
        // request body limit still bounds), never a body cut at MAX_BODY
        request.setEntityStream(body.length <= MAX_BODY ? new ByteArrayInputStream(body)
                : new SequenceInputStream(new ByteArrayInputStream(body), in));
        if (body.length <= MAX_BODY) {
            request.setProperty(BODY, new String(body, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Audited audited = audited();
        if (audited == null) {
            return;
        }
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        JsonObject body = json((String) request.getProperty(BODY));
        String name = AuditTemplate.expand(audited.resource(), key -> key.startsWith("body.")
                ? field(body, key.substring("body.".length())) : path.getFirst(key));
        name = AuditOutcome.clip(name, AuditOutcome.MAX_RESOURCE);
        String project = path.getFirst("project");
        if (project == null && "project".equals(audited.type())) {
            project = name;
        }
        if (project == null && path.getFirst("name") != null) {
            project = projectOf(path.getFirst("name"));
        }
        boolean success = AuditOutcome.success(response);
        audit.record(audited.value(), audited.type(), name, project, success,
                success ? null : AuditOutcome.failureDetail(request, response));
    }

    private Audited audited() {
        Method method = resource.getResourceMethod();
        return method == null ? null : method.getAnnotation(Audited.class);
    }

    private static String projectOf(String repository) {
        try {
            return Project.of(RepositoryName.parse(repository));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonObject json(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject o ? o : null;
        } catch (RuntimeException e) {
            return null; // the resource refuses it with 400; the entry then names no resource
        }
    }

    private static String field(JsonObject body, String key) {
        return body != null && body.get(key) instanceof JsonString s ? s.getString() : null;
    }
}
