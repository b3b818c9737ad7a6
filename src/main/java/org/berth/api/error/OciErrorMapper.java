package org.berth.api.error;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.berth.api.AuditOutcome;
import org.berth.domain.RegistryException;

/**
 * The one place where failures become responses: every error body is
 * {@code {"errors":[{"code","message","detail"}]}} (OCI dist-spec "Error Codes"), never HTML and
 * never a stack trace. A 401 always carries WWW-Authenticate.
 */
@Provider
public class OciErrorMapper implements ExceptionMapper<Throwable> {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(OciErrorMapper.class.getName());

    /** Which catalogue entry each domain failure is sent as. */
    private static final Map<Class<? extends RegistryException>, OciErrorCode> CODES = Map.ofEntries(
            Map.entry(RegistryException.BlobUnknown.class, OciErrorCode.BLOB_UNKNOWN),
            Map.entry(RegistryException.BlobUploadUnknown.class, OciErrorCode.BLOB_UPLOAD_UNKNOWN),
            Map.entry(RegistryException.BlobUploadInvalid.class, OciErrorCode.BLOB_UPLOAD_INVALID),
            Map.entry(RegistryException.RangeInvalid.class, OciErrorCode.RANGE_INVALID),
            Map.entry(RegistryException.DigestInvalid.class, OciErrorCode.DIGEST_INVALID),
            Map.entry(RegistryException.ManifestBlobUnknown.class, OciErrorCode.MANIFEST_BLOB_UNKNOWN),
            Map.entry(RegistryException.ManifestInvalid.class, OciErrorCode.MANIFEST_INVALID),
            Map.entry(RegistryException.ManifestUnknown.class, OciErrorCode.MANIFEST_UNKNOWN),
            Map.entry(RegistryException.NameInvalid.class, OciErrorCode.NAME_INVALID),
            Map.entry(RegistryException.NameUnknown.class, OciErrorCode.NAME_UNKNOWN),
            Map.entry(RegistryException.NotFound.class, OciErrorCode.NOT_FOUND),
            Map.entry(RegistryException.Conflict.class, OciErrorCode.CONFLICT),
            Map.entry(RegistryException.InvalidRequest.class, OciErrorCode.INVALID_REQUEST),
            Map.entry(RegistryException.PaginationInvalid.class, OciErrorCode.PAGINATION_NUMBER_INVALID),
            Map.entry(RegistryException.SizeInvalid.class, OciErrorCode.SIZE_INVALID),
            Map.entry(RegistryException.TagInvalid.class, OciErrorCode.MANIFEST_INVALID),
            Map.entry(RegistryException.Unsupported.class, OciErrorCode.UNSUPPORTED),
            Map.entry(RegistryException.Unauthorized.class, OciErrorCode.UNAUTHORIZED),
            Map.entry(RegistryException.TooManyRequests.class, OciErrorCode.TOOMANYREQUESTS),
            Map.entry(RegistryException.Denied.class, OciErrorCode.DENIED),
            Map.entry(RegistryException.InsufficientStorage.class, OciErrorCode.INSUFFICIENT_STORAGE),
            Map.entry(RegistryException.Unavailable.class, OciErrorCode.UNAVAILABLE));

    /** Longest message sent: messages may quote input (a name, a media type, a header). */
    static final int MAX_MESSAGE = 500;

    /** Longest detail sent: details echo input (a name, a reference, a digest). */
    static final int MAX_DETAIL = 200;

    /** The request being answered, to tell its audit filter the error (null in unit tests). */
    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable thrown) {
        // A RegistryException raised while the container read a body (the body limit) reaches
        // here wrapped in whatever the reader threw: the cause decides.
        Throwable failure = registryCause(thrown);
        if (failure instanceof RegistryException e) {
            Response.ResponseBuilder response = build(CODES.get(e.getClass()), e.getMessage(), e.detail());
            if (e instanceof RegistryException.Unauthorized u) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, u.challenge());
            }
            if (e instanceof RegistryException.TooManyRequests t) {
                response.header(HttpHeaders.RETRY_AFTER, t.retryAfterSeconds());
            }
            if (e instanceof RegistryException.RangeInvalid r) {
                response.header("Range", "0-" + Math.max(0, r.committed() - 1));
            }
            return response.build();
        }
        if (failure instanceof NotAllowedException e) {
            Response.ResponseBuilder response = build(OciErrorCode.UNSUPPORTED, "method not allowed on this endpoint", null);
            e.getResponse().getAllowedMethods().forEach(m -> response.header(HttpHeaders.ALLOW, m));
            return response.build();
        }
        if (failure instanceof NotFoundException) {
            return build(OciErrorCode.NOT_FOUND, OciErrorCode.NOT_FOUND.message(), null).build();
        }
        if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            return Response.fromResponse(build(OciErrorCode.UNSUPPORTED, e.getMessage(), null).build())
                    .status(e.getResponse().getStatus()).build();
        }
        if (failure instanceof UncheckedIOException || failure instanceof IOException) {
            // Almost always the client hung up mid-transfer; nothing was committed.
            LOG.log(Level.FINE, "I/O failure while serving a request", failure);
            return build(OciErrorCode.BLOB_UPLOAD_INVALID, "the transfer was interrupted", null).build();
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return build(OciErrorCode.UNKNOWN, OciErrorCode.UNKNOWN.message(), null).build();
    }

    private static Throwable registryCause(Throwable thrown) {
        for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof RegistryException) {
                return t;
            }
        }
        return thrown;
    }

    private Response.ResponseBuilder build(OciErrorCode code, String message, Object detail) {
        String text = message == null ? code.message() : message; // body() and error() clip it
        if (request != null) {
            try {
                request.setAttribute(AuditOutcome.ERROR, AuditOutcome.error(code.name(), text));
            } catch (IllegalStateException e) {
                // no request on this thread (an error outside one): nothing to audit
            }
        }
        return Response.status(code.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, text, detail));
    }

    /**
     * The error body {@code {"errors":[{"code","message","detail"}]}}, message and detail clipped:
     * also for a servlet filter that answers before JAX-RS is reached.
     */
    public static String body(OciErrorCode code, String message, Object detail) {
        JsonObjectBuilder error = JSON.createObjectBuilder()
                .add("code", code.name())
                .add("message", AuditOutcome.clip(message == null ? code.message() : message, MAX_MESSAGE));
        error.add("detail", toJson(detail));
        return JSON.createObjectBuilder()
                .add("errors", JSON.createArrayBuilder().add(error))
                .build().toString();
    }

    private static JsonValue toJson(Object detail) {
        if (detail == null) {
            return JsonValue.NULL;
        }
        if (detail instanceof Map<?, ?> map) {
            JsonObjectBuilder b = JSON.createObjectBuilder();
            map.forEach((k, v) -> {
                if (v instanceof Long || v instanceof Integer) {
                    b.add(String.valueOf(k), ((Number) v).longValue());
                } else {
                    b.add(AuditOutcome.clip(String.valueOf(k), MAX_DETAIL), AuditOutcome.clip(String.valueOf(v), MAX_DETAIL));
                }
            });
            return b.build();
        }
        return JSON.createValue(AuditOutcome.clip(String.valueOf(detail), MAX_DETAIL));
    }
}
