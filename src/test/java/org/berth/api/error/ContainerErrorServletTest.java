package org.berth.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContainerErrorServletTest {

    @Test
    void aStatusWithItsOwnCatalogueEntryGetsIt() {
        for (int status : new int[] {401, 403, 404, 413, 416, 429}) {
            assertEquals(status, ContainerErrorServlet.codeFor(status).status(), "status " + status);
        }
        assertEquals(OciErrorCode.INVALID_REQUEST, ContainerErrorServlet.codeFor(400));
    }

    @Test
    void otherStatusesAreUnsupportedOrUnknown() {
        assertEquals(OciErrorCode.UNSUPPORTED, ContainerErrorServlet.codeFor(415));
        assertEquals(OciErrorCode.UNKNOWN, ContainerErrorServlet.codeFor(500));
        assertEquals(OciErrorCode.UNKNOWN, ContainerErrorServlet.codeFor(503));
    }
}
