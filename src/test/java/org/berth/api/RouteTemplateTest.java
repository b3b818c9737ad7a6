package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.berth.api.oci.OciRoutes;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {

    @Test
    void regexesLeaveOnlyTheParameterName() {
        assertEquals("{name}/manifests/{reference}", RouteTemplate.withoutRegexes(OciRoutes.MANIFEST));
        assertEquals("{id}/x", RouteTemplate.withoutRegexes("{id: [a-f]{2,8}}/x"));
        assertEquals("plain", RouteTemplate.withoutRegexes("plain"));
    }

    @Test
    void partsJoinIntoOneAbsolutePath() {
        assertEquals("/v2/{name}/blobs/uploads", RouteTemplate.join("/v2/", OciRoutes.UPLOADS, OciRoutes.NEW_UPLOAD));
        assertEquals("/v2/{name}/blobs/uploads/{uploadId}", RouteTemplate.join("/v2/", OciRoutes.UPLOADS, OciRoutes.UPLOAD));
        assertEquals("/v2", RouteTemplate.join("/v2/", OciRoutes.BASE, ""));
        assertEquals("/api/v1/projects/{project}", RouteTemplate.join("/api/", "v1/projects", "{project}"));
        assertEquals("/", RouteTemplate.join("/", ""));
    }
}
