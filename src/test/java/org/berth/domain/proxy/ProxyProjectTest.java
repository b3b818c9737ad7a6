package org.berth.domain.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.berth.domain.RepositoryName;
import org.junit.jupiter.api.Test;

class ProxyProjectTest {

    private final ProxyProject hub = new ProxyProject("hub", "dockerhub", Duration.ofMinutes(5));

    @Test
    void theUpstreamNameIsTheNameWithoutTheProject() {
        assertEquals("library/nginx", hub.upstreamRepository(RepositoryName.parse("hub/library/nginx"), true));
        assertEquals("team/app/web", hub.upstreamRepository(RepositoryName.parse("hub/team/app/web"), false));
    }

    @Test
    void dockerHubsSingleNamesAreItsLibrary() {
        assertEquals("library/nginx", hub.upstreamRepository(RepositoryName.parse("hub/nginx"), true));
        assertEquals("nginx", hub.upstreamRepository(RepositoryName.parse("hub/nginx"), false));
    }

    @Test
    void aRepositoryOfAnotherProjectHasNoUpstreamName() {
        assertThrows(IllegalArgumentException.class, () -> hub.upstreamRepository(RepositoryName.parse("hubx/nginx"), true));
    }

    @Test
    void theTagTtlIsFromZeroToAWeek() {
        new ProxyProject("p", "r", Duration.ZERO);
        new ProxyProject("p", "r", ProxyProject.MAX_TAG_TTL);
        assertThrows(IllegalArgumentException.class, () -> new ProxyProject("p", "r", Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new ProxyProject("p", "r", ProxyProject.MAX_TAG_TTL.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ProxyProject("P!", "r", Duration.ZERO));
    }
}
