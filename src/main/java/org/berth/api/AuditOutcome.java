package org.berth.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerResponseContext;

/** What the audit log says about a response: success, or the error's message. */
public final class AuditOutcome {

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:\\\\.|[^\"\\\\])*)\"");

    private AuditOutcome() {
    }

    public static boolean success(ContainerResponseContext response) {
        return response.getStatus() < 400;
    }

    /** For a failure: {@code 403: the message of the error body}; null for a success. */
    public static String failureDetail(ContainerResponseContext response) {
        if (success(response)) {
            return null;
        }
        return response.getStatus() + ": " + message(response.getEntity() == null ? null : response.getEntity().toString());
    }

    /** The first {@code "message"} of an OCI error body, or "" when there is none. */
    static String message(String body) {
        if (body == null) {
            return "";
        }
        Matcher m = MESSAGE.matcher(body);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "";
    }
}
