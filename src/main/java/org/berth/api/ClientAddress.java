package org.berth.api;

import java.util.Set;

/**
 * The client's address for the audit log and login throttling. The TCP peer, unless that peer is
 * one of the proxies the operator listed in {@code berth.trusted-proxies}: then the right-most
 * address of {@code X-Forwarded-For} that is not itself a trusted proxy (each proxy appends the
 * peer it saw, so anything further left was written by the client and proves nothing). Without
 * trusted proxies the header is ignored: any client could forge it. {@link ExternalUrls} believes
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto} by the same rule, {@link #isTrustedProxy}.
 */
public final class ClientAddress {

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
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** Whether the TCP peer is a proxy the operator listed, whose forwarded headers are believed. */
    public static boolean isTrustedProxy(String peer, Set<String> trustedProxies) {
        return peer != null && trustedProxies.contains(peer);
    }
}
