package org.berth.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.berth.remote.RemoteFailure.Reason;

/**
 * Turns what the upstream answered (or the I/O error instead of an answer) into a {@link RemoteFailure}
 * with a short message: the request, the status, and the upstream's OCI error code and message when
 * its body is OCI error JSON. Messages never carry the URL's query (a presigned URL's signature),
 * and the given secrets are masked in case an upstream echoes them.
 */
final class UpstreamFailures {

    /** How much of an error body is read for its OCI error code and message. */
    static final int MAX_ERROR_BODY = 16 * 1024;
    private static final int MAX_UPSTREAM_TEXT = 200;
    private static final Pattern OCI_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private UpstreamFailures() {
    }

    /** The failure for a non-2xx answer whose (capped) body was read. */
    static RemoteFailure of(String method, HttpResponse<?> response, byte[] body, Instant now, List<String> secrets) {
        int status = response.statusCode();
        URI uri = response.uri();
        String detail = ociError(body);
        Reason reason;
        Duration retryAfter = null;
        if (status == 401 || status == 403) {
            reason = Reason.AUTH;
        } else if (status == 404) {
            reason = Reason.NOT_FOUND;
        } else if (status == 429) {
            reason = Reason.RATE_LIMITED;
            retryAfter = retryAfter(response.headers(), now).orElse(null);
        } else if (status >= 500 && status <= 599) {
            reason = Reason.SERVER_ERROR;
        } else {
            reason = Reason.INVALID;
        }
        String message = where(method, uri) + ": " + status + (detail.isEmpty() ? "" : " " + detail)
                + (retryAfter != null ? " (retry after " + retryAfter.toSeconds() + " s)" : "");
        return new RemoteFailure(reason, status, mask(message, secrets), retryAfter, null);
    }

    /** The failure for an exception instead of an answer. */
    static RemoteFailure of(String method, URI uri, IOException e) {
        String where = where(method, uri);
        if (e instanceof HttpConnectTimeoutException) {
            return new RemoteFailure(Reason.TIMEOUT, 0, where + ": connect timed out", null, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new RemoteFailure(Reason.TIMEOUT, 0, where + ": no answer in time", null, e);
        }
        if (e instanceof ConnectException) {
            return new RemoteFailure(Reason.UNREACHABLE, 0, where + ": connection refused", null, e);
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new RemoteFailure(Reason.UNREACHABLE, 0, where + ": TLS failed (" + e.getClass().getSimpleName() + ")", null, e);
        }
        return new RemoteFailure(Reason.UNREACHABLE, 0, where + ": " + e.getClass().getSimpleName(), null, e);
    }

    /** An INVALID failure for an answer Berth cannot use. */
    static RemoteFailure invalid(String method, URI uri, int status, String why) {
        return new RemoteFailure(Reason.INVALID, status, where(method, uri) + ": " + status + " " + why);
    }

    /** {@code GET https://host:port/path}: never the query, which may hold a presigned signature. */
    static String where(String method, URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return method + " " + uri.getScheme() + "://" + uri.getHost() + port + Optional.ofNullable(uri.getRawPath()).orElse("");
    }

    /** {@code CODE message} from the first of an OCI error body's {@code errors}, or "". */
    static String ociError(byte[] body) {
        JsonObject object = BoundedBody.objectOrNull(body);
        if (object == null || !(object.get("errors") instanceof JsonArray errors) || errors.isEmpty()
                || errors.get(0).getValueType() != JsonValue.ValueType.OBJECT) {
            return "";
        }
        JsonObject first = errors.getJsonObject(0);
        String code = BoundedBody.string(first, "code");
        String message = BoundedBody.string(first, "message");
        StringBuilder b = new StringBuilder();
        if (code != null && OCI_CODE.matcher(code).matches()) {
            b.append(code);
        }
        if (message != null && !message.isBlank()) {
            String clean = message.replaceAll("\\p{Cntrl}", " ").strip();
            if (clean.length() > MAX_UPSTREAM_TEXT) {
                clean = clean.substring(0, MAX_UPSTREAM_TEXT) + "...";
            }
            b.append(b.length() > 0 ? ": " : "").append(clean);
        }
        return b.toString();
    }

    /** A 429's Retry-After: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // absurdly long
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Masks each secret (a password, a token) wherever it appears. */
    static String mask(String message, List<String> secrets) {
        String result = message;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }
}
