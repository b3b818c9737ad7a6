package org.berth.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.berth.infrastructure.web.ClientHangUp;
import org.berth.infrastructure.web.GrizzlySendfile;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Prometheus metrics of every HTTP request Berth serves (exposed by Payara at {@code /metrics}):
 * <ul>
 * <li>{@code berth_requests_total{method,route,status}}</li>
 * <li>{@code berth_request_duration_seconds{method,route}} (a summary)</li>
 * <li>{@code berth_received_bytes_total{route}}, {@code berth_sent_bytes_total{route}}: bodies as
 * read and written, chunked uploads included</li>
 * <li>{@code berth_upload_duration_seconds{method}}: PATCH and PUT of blob upload sessions</li>
 * <li>{@code berth_client_hangups_total{route}}: bodies cut short because the client went away or
 * stopped reading ({@link ClientHangUp})</li>
 * </ul>
 * Routes are templates ({@link RouteTemplate}); no repository name is ever a label value.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class HttpMetricsFilter extends HttpFilter {

    private static final Tag[] NO_TAGS = new Tag[0];

    /** The methods that get a label value of their own (RFC 9110 plus PATCH); any other is "other". */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Inject
    MetricRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        CountingRequest countingRequest = new CountingRequest(request);
        CountingResponse countingResponse = new CountingResponse(response);
        try {
            chain.doFilter(countingRequest, countingResponse);
        } finally {
            String route = routeLabel(request.getAttribute(RouteTemplate.ATTRIBUTE));
            String method = methodLabel(request.getMethod());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            counter("berth_requests", "HTTP requests by route template and status",
                    "method", method, "route", route, "status", Integer.toString(response.getStatus())).inc();
            timer("berth_request_duration", "Time to serve a request", "method", method, "route", route).update(took);
            if (countingRequest.count > 0) {
                counter("berth_received_bytes", "Request body bytes read", "route", route).inc(countingRequest.count);
            }
            if (request.getAttribute(GrizzlySendfile.SENT_BYTES) instanceof Long sent) {
                countingResponse.count += sent;
            }
            if (countingResponse.count > 0) {
                counter("berth_sent_bytes", "Response body bytes written", "route", route).inc(countingResponse.count);
            }
            if (ClientHangUp.noted(request)) {
                counter("berth_client_hangups", "Responses whose client went away before the whole body was sent",
                        "route", route).inc();
            }
            if (route.endsWith("/blobs/uploads/{uploadId}") && ("PATCH".equals(method) || "PUT".equals(method))) {
                timer("berth_upload_duration", "Time to receive a blob upload request (PATCH chunk or closing PUT)",
                        "method", method).update(took);
            }
        }
    }

    /**
     * A method as a label value: a client may send any token as the method (issue 14: 2000 made-up
     * methods made 2000 series), so only the known ones are kept.
     */
    static String methodLabel(String method) {
        return method != null && KNOWN_METHODS.contains(method) ? method : RouteTemplate.OTHER;
    }

    /** A route as a label value: the template JAX-RS matched, or "other" for anything unmatched. */
    static String routeLabel(Object attribute) {
        return attribute instanceof String s ? s : RouteTemplate.OTHER;
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> registry.counter(
                    Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE).build(),
                    tags(tags)));
        }
        return counter;
    }

    private Timer timer(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> registry.timer(
                    Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.SECONDS).build(),
                    tags(tags)));
        }
        return timer;
    }

    private static Tag[] tags(String... pairs) {
        if (pairs.length == 0) {
            return NO_TAGS;
        }
        Tag[] tags = new Tag[pairs.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new Tag(pairs[2 * i], pairs[2 * i + 1]);
        }
        return tags;
    }

    /** Counts the body bytes the application reads. */
    private static final class CountingRequest extends HttpServletRequestWrapper {
        long count;
        private ServletInputStream stream;

        CountingRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingServletInputStream(super.getInputStream()) {
                    @Override
                    protected void counted(long bytes) {
                        count += bytes;
                    }
                };
            }
            return stream;
        }
    }

    /** Counts the body bytes the application writes. */
    private static final class CountingResponse extends HttpServletResponseWrapper {
        long count;
        private ServletOutputStream stream;

        CountingResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        count++;
                    }

                    @Override
                    public void write(byte[] buffer, int offset, int length) throws IOException {
                        out.write(buffer, offset, length);
                        count += length;
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        out.close();
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
