package org.berth.api.portal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortalSecurityHeadersTest {

    @Test
    void portalPathsGetTheHeaders() {
        assertTrue(PortalSecurityHeaders.isPortal("/"));
        assertTrue(PortalSecurityHeaders.isPortal("/index.html"));
        assertTrue(PortalSecurityHeaders.isPortal("/js/app.js"));
        assertTrue(PortalSecurityHeaders.isPortal("/v2x"));
        assertTrue(PortalSecurityHeaders.isPortal("/apis.html"));
    }

    @Test
    void apiPathsAreLeftAlone() {
        assertFalse(PortalSecurityHeaders.isPortal("/v2"));
        assertFalse(PortalSecurityHeaders.isPortal("/v2/"));
        assertFalse(PortalSecurityHeaders.isPortal("/v2/library/x/manifests/1"));
        assertFalse(PortalSecurityHeaders.isPortal("/api/v1/projects"));
        assertFalse(PortalSecurityHeaders.isPortal("/service/token"));
    }

    @Test
    void policyAllowsOnlyOwnScriptsAndNoFraming() {
        assertTrue(PortalSecurityHeaders.CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
        assertTrue(PortalSecurityHeaders.CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assertFalse(PortalSecurityHeaders.CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    }
}
