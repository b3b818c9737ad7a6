package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HttpMetricsFilterTest {

    @Test
    void knownMethodsKeepTheirNameAndAnyOtherIsOther() {
        for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
            assertEquals(method, HttpMetricsFilter.methodLabel(method));
        }
        assertEquals("other", HttpMetricsFilter.methodLabel("get"));
        assertEquals("other", HttpMetricsFilter.methodLabel("TRACE"));
        assertEquals("other", HttpMetricsFilter.methodLabel(null));
    }

    @Test
    void twoThousandMadeUpMethodsMakeOneLabelValue() {
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            labels.add(HttpMetricsFilter.methodLabel("XM" + i));
        }
        assertEquals(Set.of("other"), labels);
    }

    @Test
    void anUnmatchedRouteIsOther() {
        assertEquals("/v2/{name}/manifests/{reference}", HttpMetricsFilter.routeLabel("/v2/{name}/manifests/{reference}"));
        assertEquals("other", HttpMetricsFilter.routeLabel(null));
    }
}
