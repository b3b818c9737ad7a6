package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Set;

import org.berth.domain.Action;
import org.berth.domain.Project;
import org.berth.domain.Robot;
import org.junit.jupiter.api.Test;

class AuditServiceTest {

    private final InMemoryStores.Robots robots = new InMemoryStores.Robots();

    @Test
    void aFailedLoginBelongsToTheProjectOfARobotThatExists() {
        robots.create(new Robot("team-a", "ci", "hash", Set.of(Action.PULL), null, false, Instant.now()));
        assertEquals("team-a", AuditService.robotProject("robot$team-a+ci", robots));
    }

    @Test
    void aFailedRequestNamesOnlyAProjectThatExists() {
        InMemoryStores.Projects projects = new InMemoryStores.Projects();
        projects.create(new Project("team-a", false, Instant.now()));
        assertEquals("team-a", AuditService.attributedProject("team-a", false, projects));
        assertNull(AuditService.attributedProject("not-yet", false, projects));
        assertEquals("deleted", AuditService.attributedProject("deleted", true, projects), "a success keeps its project");
        assertNull(AuditService.attributedProject(null, false, projects));
    }

    @Test
    void aFailedLoginForAnAccountThatDoesNotExistBelongsToNoProject() {
        robots.create(new Robot("team-a", "ci", "hash", Set.of(Action.PULL), null, false, Instant.now()));
        assertNull(AuditService.robotProject("robot$secret+x", robots));
        assertNull(AuditService.robotProject("robot$team-a+other", robots));
        assertNull(AuditService.robotProject("alice", robots));
        assertNull(AuditService.robotProject("robot$+x", robots));
    }
}
