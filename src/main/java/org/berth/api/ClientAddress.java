package org.berth.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client's address for the audit log and login throttling. The TCP peer, unless that peer is
 * one of the proxies the operator listed in {@code berth.trusted-proxies}: then the right-most
 * address of {@code X-Forwarded-For} that is not itself a trusted proxy (each proxy appends the
 * peer it saw, so anything further left was written by the client and proves nothing). Without
 * trusted proxies the header is ignored: any client could forge it. {@link ExternalUrls} believes
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto} by the same rule, {@link #isTrustedProxy}.
 */
public final class ClientAddress {

    /** Only such text goes to {@link InetAddress#getByName}, which would look a name up in DNS. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(?:%[0-9A-Za-z_.-]+)?");

    private ClientAddress() {
    }

    public static String of(String peer, String forwardedFor, Set<String> trustedProxies) {
        if (forwardedFor == null || forwardedFor.isBlank() || !isTrustedProxy(peer, trustedProxies)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            if (!isTrustedProxy(hop, trustedProxies)) {
                return hop;
            }
        }
        return peer;
    }

    /**
     * Whether the TCP peer is a proxy the operator listed, whose forwarded headers are believed.
     * IPv6 addresses match however they are written: the server reports {@code ::1} as
     * {@code 0:0:0:0:0:0:0:1}.
     */
    public static boolean isTrustedProxy(String peer, Set<String> trustedProxies) {
        if (peer == null || trustedProxies.isEmpty()) {
            return false;
        }
        if (trustedProxies.contains(peer)) {
            return true;
        }
        String canonical = canonical(peer);
        return trustedProxies.stream().anyMatch(proxy -> canonical(proxy).equals(canonical));
    }

    /** An IPv6 literal in Java's one form ({@code [::1]}, {@code ::1} → {@code 0:0:0:0:0:0:0:1}); anything else as written. */
    static String canonical(String address) {
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.indexOf(':') < 0 || !IPV6_LITERAL.matcher(a).matches()) {
            return a;
        }
        try {
            return InetAddress.getByName(a).getHostAddress(); // an IPv6 literal is parsed, never looked up
        } catch (UnknownHostException e) {
            return a;
        }
    }
}
