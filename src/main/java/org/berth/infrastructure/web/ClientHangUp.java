package org.berth.infrastructure.web;

import jakarta.servlet.ServletRequest;

/**
 * The client went away, or stopped reading, while a response body was being sent: the
 * connection failed, not the server. A cancelled {@code docker pull} ends every blob GET it had
 * under way this way. The request carries the mark ({@link ClientHangUpFilter} sets it when the
 * response stream fails, {@link GrizzlySendfile} when a file transfer does); such a request is
 * counted ({@code berth_client_hangups_total}) and logged at FINE, never as a server error with a
 * stack trace.
 */
public final class ClientHangUp {

    /** The request attribute ({@code Boolean.TRUE}) set on a request whose client hung up. */
    static final String ATTRIBUTE = ClientHangUp.class.getName();

    private ClientHangUp() {
    }

    /** Marks {@code request} as one whose client is gone. */
    public static void note(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    /** Whether the client of {@code request} hung up. */
    public static boolean noted(ServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
    }
}
