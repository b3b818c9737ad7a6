package org.berth.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * What the audit log says about a response: success, or the error's code and message. The error
 * mapper leaves them on the request ({@link #ERROR}) as it builds the body, so nothing parses the
 * body back (a regular expression over a 5000-character message overflowed the stack: issue 14).
 */
public final class AuditOutcome {

    /** Request property: the {@code CODE: message} of the error the mapper sent. */
    public static final String ERROR = AuditOutcome.class.getName() + ".error";

    /** Longest error text kept for an audit entry (the detail column holds 1000). */
    static final int MAX_ERROR = 300;

    /** Longest resource name an audit entry keeps (the resource column holds 512). */
    public static final int MAX_RESOURCE = 500;

    private AuditOutcome() {
    }

    public static boolean success(ContainerResponseContext response) {
        return response.getStatus() < 400;
    }

    /** What the mapper records: {@code CODE: message}, at most {@link #MAX_ERROR} characters. */
    public static String error(String code, String message) {
        return clip(code + ": " + message, MAX_ERROR);
    }

    /** For a failure: {@code 403: DENIED: the message}; null for a success. */
    public static String failureDetail(ContainerRequestContext request, ContainerResponseContext response) {
        if (success(response)) {
            return null;
        }
        Object error = request.getProperty(ERROR);
        return response.getStatus() + ": " + (error instanceof String s ? s : "");
    }

    /** {@code text} cut to {@code max} characters, the cut marked with an ellipsis; null stays null. */
    public static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - 1) + "\u2026";
    }
}
