package org.berth.api;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import org.berth.infrastructure.config.BerthConfig;

/**
 * Builds the absolute URLs Berth hands to clients (Location, Link, the token realm): from the
 * configured external URL when set, else from the request as the client addressed it. The
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} of a TLS-terminating proxy are believed
 * only when the TCP peer is one of {@code berth.trusted-proxies}, the rule {@link ClientAddress}
 * applies to {@code X-Forwarded-For}: from anyone else they would let a client point the token
 * realm or a Location at a host of its choosing.
 */
@ApplicationScoped
public class ExternalUrls {

    /** A host name or [IPv6] literal with an optional port: nothing that could break a header's quoting. */
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9._~%-]+|\\[[0-9A-Fa-f:.%A-Za-z]+\\])(?::[0-9]{1,5})?");

    @Inject
    BerthConfig config;

    @Inject
    HttpServletRequest request;

    /** e.g. {@code https://registry.example.com} (no trailing slash), for the current request. */
    public String base() {
        return base(request);
    }

    public String base(HttpServletRequest request) {
        return base(config.externalUrl(), new Seen(request.getRemoteAddr(), request.getScheme(), request.getHeader("Host"),
                request.getServerName() + ":" + request.getServerPort(), request.getHeader("X-Forwarded-Proto"),
                request.getHeader("X-Forwarded-Host")), config.trustedProxies());
    }

    /**
     * What a request says about the URL its client used.
     *
     * @param peer           the TCP peer's address
     * @param scheme         the connection's scheme
     * @param host           the {@code Host} header, or null
     * @param server         the listener's {@code name:port}, when there is no usable Host
     * @param forwardedProto {@code X-Forwarded-Proto}, or null
     * @param forwardedHost  {@code X-Forwarded-Host}, or null
     */
    record Seen(String peer, String scheme, String host, String server, String forwardedProto, String forwardedHost) {
    }

    static String base(Optional<String> configured, Seen seen, Set<String> trustedProxies) {
        if (configured.isPresent()) {
            return configured.get();
        }
        String scheme = seen.scheme();
        String host = seen.host();
        if (ClientAddress.isTrustedProxy(seen.peer(), trustedProxies)) {
            String proto = first(seen.forwardedProto());
            if ("http".equalsIgnoreCase(proto) || "https".equalsIgnoreCase(proto)) {
                scheme = proto.toLowerCase(Locale.ROOT);
            }
            String forwardedHost = first(seen.forwardedHost());
            if (forwardedHost != null && HOST.matcher(forwardedHost).matches()) {
                host = forwardedHost;
            }
        }
        if (host == null || !HOST.matcher(host).matches()) {
            host = seen.server();
        }
        return scheme + "://" + host;
    }

    /** The absolute URL of a path such as {@code /v2/nginx/blobs/sha256:...}. */
    public String absolute(String path) {
        return base() + path;
    }

    /** The first of a comma-separated list (each proxy may append its own value). */
    private static String first(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        int comma = headerValue.indexOf(',');
        String value = (comma < 0 ? headerValue : headerValue.substring(0, comma)).trim();
        return value.isEmpty() ? null : value;
    }
}
