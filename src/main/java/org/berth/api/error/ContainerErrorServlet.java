package org.berth.api.error;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The container's error page (WEB-INF/web.xml): an error that never reached JAX-RS (a path no
 * resource serves, an exception in a servlet filter) is answered with the OCI error body like
 * every other, never with Payara's HTML page and its stack trace. Errors Grizzly answers itself
 * before any servlet runs (a malformed request line or header) are out of its reach.
 */
@WebServlet(ContainerErrorServlet.PATH)
public class ContainerErrorServlet extends HttpServlet {

    /** Where web.xml sends every error. */
    public static final String PATH = "/berth-error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 404;
        OciErrorCode code = codeFor(status);
        String message = status == code.status() ? code.message() : "HTTP " + status;
        byte[] body = OciErrorMapper.body(code, message, null).getBytes(StandardCharsets.UTF_8);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** The catalogue entry sent for a status, as OciErrorMapper sends container failures. */
    static OciErrorCode codeFor(int status) {
        return switch (status) {
            case 400 -> OciErrorCode.INVALID_REQUEST;
            case 401 -> OciErrorCode.UNAUTHORIZED;
            case 403 -> OciErrorCode.DENIED;
            case 404 -> OciErrorCode.NOT_FOUND;
            case 413 -> OciErrorCode.SIZE_INVALID;
            case 416 -> OciErrorCode.RANGE_INVALID;
            case 429 -> OciErrorCode.TOOMANYREQUESTS;
            default -> status >= 500 ? OciErrorCode.UNKNOWN : OciErrorCode.UNSUPPORTED;
        };
    }
}
