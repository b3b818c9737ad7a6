package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RobotTest {

    @Test
    void loginNameJoinsProjectAndName() {
        Robot robot = new Robot("team-a", "ci", "h", Set.of(Action.PULL), null, false, Instant.EPOCH);
        assertEquals("robot$team-a+ci", robot.loginName());
        assertEquals(new Robot.Login("team-a", "ci"), Robot.parseLoginName(robot.loginName()).orElseThrow());
    }

    @Test
    void parsingSplitsAtTheFirstPlus() {
        assertEquals(new Robot.Login("p", "a+b"), Robot.parseLoginName("robot$p+a+b").orElseThrow());
    }

    @Test
    void otherNamesAreNotRobotLogins() {
        assertTrue(Robot.parseLoginName("alice").isEmpty());
        assertTrue(Robot.parseLoginName("robot$project").isEmpty());
        assertTrue(Robot.parseLoginName("robot$+ci").isEmpty());
        assertTrue(Robot.parseLoginName("robot$p+").isEmpty());
        assertTrue(Robot.parseLoginName(null).isEmpty());
    }

    @Test
    void namesAreLowerCaseWordsWithSeparators() {
        assertTrue(Robot.isValidName("ci"));
        assertTrue(Robot.isValidName("build-bot.v2_x"));
        assertFalse(Robot.isValidName("CI"));
        assertFalse(Robot.isValidName("a+b"));
        assertFalse(Robot.isValidName("-ci"));
        assertFalse(Robot.isValidName(""));
        assertFalse(Robot.isValidName(null));
    }

    @Test
    void usableUntilDisabledOrExpired() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(new Robot("p", "r", "h", Set.of(), null, false, now).usableAt(now));
        assertFalse(new Robot("p", "r", "h", Set.of(), null, true, now).usableAt(now));
        assertFalse(new Robot("p", "r", "h", Set.of(), now, false, now).usableAt(now));
    }
}
