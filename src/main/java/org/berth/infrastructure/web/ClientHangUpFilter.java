package org.berth.infrastructure.web;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Notes when the client hangs up (the response stream fails; a body sent around the stream
 * notes it itself) and from then on lets flush and close of the stream do nothing: there is
 * nobody left to send to, and the framework's own flush and close on the way out would
 * otherwise fail again and log a server error with a stack trace for a cancelled pull.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ClientHangUpFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(ClientHangUpFilter.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            private ServletOutputStream stream;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (stream == null) {
                    stream = new Watched(request, super.getOutputStream());
                }
                return stream;
            }
        });
    }

    private static final class Watched extends ServletOutputStream {
        private final HttpServletRequest request;
        private final ServletOutputStream out;

        Watched(HttpServletRequest request, ServletOutputStream out) {
            this.request = request;
            this.out = out;
        }

        private boolean hungUp() {
            return ClientHangUp.noted(request);
        }

        private IOException hangUp(IOException e) {
            ClientHangUp.note(request);
            return e;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw hangUp(e);
            }
        }

        @Override
        public void write(byte[] b, int offset, int length) throws IOException {
            try {
                out.write(b, offset, length);
            } catch (IOException e) {
                throw hangUp(e);
            }
        }

        @Override
        public void flush() throws IOException {
            if (hungUp()) {
                return;
            }
            try {
                out.flush();
            } catch (IOException e) {
                throw hangUp(e);
            }
        }

        @Override
        public void close() {
            if (hungUp()) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                // the last bytes did not reach the client: it is gone, and nothing is left to do
                hangUp(e);
                LOG.log(Level.FINE, "client hung up before the end of the response", e);
            }
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
