package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.berth.auth.SecretHasher;
import org.berth.domain.Action;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.Robot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RobotServiceTest {

    private final InMemoryStores.Robots robots = new InMemoryStores.Robots();
    private final InMemoryStores.Projects projects = new InMemoryStores.Projects();
    private final RobotService service = new RobotService();

    @BeforeEach
    void wire() {
        service.robots = robots;
        service.projects = projects;
        projects.create(new Project("p", false, Instant.EPOCH));
    }

    @Test
    void createReturnsTheSecretOnceAndStoresItsHash() {
        CreatedSecret<Robot> created = service.create("p", "ci", EnumSet.of(Action.PULL, Action.PUSH), null);
        Robot stored = robots.find("p", "ci").orElseThrow();
        assertEquals("robot$p+ci", stored.loginName());
        assertNotEquals(created.secret(), stored.secretHash());
        assertTrue(SecretHasher.matches(created.secret(), stored.secretHash()));
        assertEquals(Set.of(Action.PULL, Action.PUSH), stored.actions());
        assertTrue(!created.toString().contains(created.secret()), "the secret must not show in logs");
    }

    @Test
    void createRefuses() {
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("p", "ci", Set.of(), null));
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("p", "CI", Set.of(Action.PULL), null));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> service.create("p", "ci", Set.of(Action.PULL), Instant.now().minus(Duration.ofMinutes(1))));
        assertThrows(RegistryException.NotFound.class, () -> service.create("nope", "ci", Set.of(Action.PULL), null));
        service.create("p", "ci", Set.of(Action.PULL), Instant.now().plus(Duration.ofDays(1)));
        assertThrows(RegistryException.Conflict.class, () -> service.create("p", "ci", Set.of(Action.PULL), null));
    }

    @Test
    void disableAndDeleteByShortOrLoginName() {
        service.create("p", "ci", Set.of(Action.PULL), null);
        assertTrue(service.setDisabled("p", "robot$p+ci", true).disabled());
        assertTrue(robots.find("p", "ci").orElseThrow().disabled());
        assertThrows(RegistryException.NotFound.class, () -> service.setDisabled("p", "robot$other+ci", false));
        service.delete("p", "ci");
        assertThrows(RegistryException.NotFound.class, () -> service.delete("p", "ci"));
    }

    @Test
    void aProjectHoldsAtMostAHundredRobots() {
        for (int i = 0; i < RobotService.MAX_ROBOTS; i++) {
            service.create("p", "r" + i, Set.of(Action.PULL), null);
        }
        assertThrows(RegistryException.Conflict.class, () -> service.create("p", "one-more", Set.of(Action.PULL), null));
        service.delete("p", "r0");
        service.create("p", "one-more", Set.of(Action.PULL), null);
    }
}
