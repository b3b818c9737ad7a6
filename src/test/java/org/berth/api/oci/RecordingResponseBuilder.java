package org.berth.api.oci;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Variant;

/**
 * A {@link Response.ResponseBuilder} that only records headers. The real one comes from the JAX-RS
 * implementation (through {@code RuntimeDelegate}), which is not on the unit-test class path.
 */
final class RecordingResponseBuilder extends Response.ResponseBuilder {

    final Map<String, List<Object>> headers = new LinkedHashMap<>();

    List<Object> header(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public Response.ResponseBuilder header(String name, Object value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    private static UnsupportedOperationException unexpected() {
        return new UnsupportedOperationException("not expected in this test");
    }

    @Override public Response build() { throw unexpected(); }
    @Override public Response.ResponseBuilder clone() { throw unexpected(); }
    @Override public Response.ResponseBuilder status(int status) { throw unexpected(); }
    @Override public Response.ResponseBuilder status(int status, String reasonPhrase) { throw unexpected(); }
    @Override public Response.ResponseBuilder entity(Object entity) { throw unexpected(); }
    @Override public Response.ResponseBuilder entity(Object entity, Annotation[] annotations) { throw unexpected(); }
    @Override public Response.ResponseBuilder allow(String... methods) { throw unexpected(); }
    @Override public Response.ResponseBuilder allow(Set<String> methods) { throw unexpected(); }
    @Override public Response.ResponseBuilder cacheControl(CacheControl cacheControl) { throw unexpected(); }
    @Override public Response.ResponseBuilder encoding(String encoding) { throw unexpected(); }
    @Override public Response.ResponseBuilder replaceAll(MultivaluedMap<String, Object> headers) { throw unexpected(); }
    @Override public Response.ResponseBuilder language(String language) { throw unexpected(); }
    @Override public Response.ResponseBuilder language(Locale language) { throw unexpected(); }
    @Override public Response.ResponseBuilder type(MediaType type) { throw unexpected(); }
    @Override public Response.ResponseBuilder type(String type) { throw unexpected(); }
    @Override public Response.ResponseBuilder variant(Variant variant) { throw unexpected(); }
    @Override public Response.ResponseBuilder contentLocation(URI location) { throw unexpected(); }
    @Override public Response.ResponseBuilder cookie(NewCookie... cookies) { throw unexpected(); }
    @Override public Response.ResponseBuilder expires(Date expires) { throw unexpected(); }
    @Override public Response.ResponseBuilder lastModified(Date lastModified) { throw unexpected(); }
    @Override public Response.ResponseBuilder location(URI location) { throw unexpected(); }
    @Override public Response.ResponseBuilder tag(EntityTag tag) { throw unexpected(); }
    @Override public Response.ResponseBuilder tag(String tag) { throw unexpected(); }
    @Override public Response.ResponseBuilder variants(Variant... variants) { throw unexpected(); }
    @Override public Response.ResponseBuilder variants(List<Variant> variants) { throw unexpected(); }
    @Override public Response.ResponseBuilder links(Link... links) { throw unexpected(); }
    @Override public Response.ResponseBuilder link(URI uri, String rel) { throw unexpected(); }
    @Override public Response.ResponseBuilder link(String uri, String rel) { throw unexpected(); }
}
