package org.berth.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.berth.api.error.OciErrorCode;
import org.berth.api.error.OciErrorMapper;
import org.berth.domain.RegistryException;

/**
 * Caps every request body but a blob upload ({@link RequestBodyLimit}). A body announced larger
 * than its cap is refused with 413 {@code SIZE_INVALID} before a byte is read; a body without a
 * length (chunked) is read through a counting stream that fails with the same error once it
 * passes the cap, so no reader (a JAX-RS {@code String} parameter, the token endpoint's form)
 * ever holds more than the cap in memory.
 *
 * <p>Manifest PUTs with a length are left to {@code ManifestResource}, which refuses them by
 * Content-Length after the caller is authenticated, so that the refused push is audited.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestBodyLimitFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        RequestBodyLimit limit = RequestBodyLimit.of(path);
        if (limit == RequestBodyLimit.BLOB_UPLOAD) {
            chain.doFilter(request, response);
            return;
        }
        long announced = request.getContentLengthLong();
        if (announced > limit.bytes() && limit != RequestBodyLimit.MANIFEST) {
            refuse(response, limit);
            return;
        }
        chain.doFilter(announced >= 0 ? request : new Bounded(request, response, limit), response);
    }

    private static String message(RequestBodyLimit limit) {
        return "request body larger than " + limit.bytes() + " bytes";
    }

    /** Answers without reading the body, and closes the connection rather than drain it. */
    private static void refuse(HttpServletResponse response, RequestBodyLimit limit) throws IOException {
        byte[] body = OciErrorMapper.body(OciErrorCode.SIZE_INVALID, message(limit), null).getBytes(StandardCharsets.UTF_8);
        response.setStatus(OciErrorCode.SIZE_INVALID.status());
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A request whose body stream fails once more than the cap has been read. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final HttpServletResponse response;
        private final RequestBodyLimit limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, HttpServletResponse response, RequestBodyLimit limit) {
            super(request);
            this.response = response;
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedStream(super.getInputStream(), this);
            }
            return stream;
        }

        /** Called when the cap is passed: the rest of the body is not drained, the connection closes. */
        RuntimeException exceeded() {
            if (!response.isCommitted()) {
                response.setHeader("Connection", "close");
            }
            return new RegistryException.SizeInvalid(message(limit));
        }
    }

    private static final class BoundedStream extends CountingServletInputStream {
        private final Bounded request;
        private long count;

        BoundedStream(ServletInputStream in, Bounded request) {
            super(in);
            this.request = request;
        }

        @Override
        protected void counted(long bytes) {
            count += bytes;
            if (count > request.limit.bytes()) {
                throw request.exceeded();
            }
        }
    }
}
