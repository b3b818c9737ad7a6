package org.berth.api.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.EnumSet;

import org.berth.auth.Identity;
import org.berth.domain.Action;
import org.junit.jupiter.api.Test;

/** Whom an upload session is counted against (issue 14, item 8). */
class CallerTest {

    @Test
    void accountsOwnTheirSessionsWhereverTheyComeFrom() {
        Identity alice = new Identity(Identity.Kind.USER, "alice", false, null, EnumSet.allOf(Action.class));
        Identity aliceToken = new Identity(Identity.Kind.PERSONAL_TOKEN, "alice", false, null, EnumSet.of(Action.PUSH));
        Identity robot = new Identity(Identity.Kind.ROBOT, "robot$team+ci", false, "team", EnumSet.of(Action.PUSH));
        assertEquals("alice", Caller.ownerOf(alice, "127.0.0.1"));
        assertEquals("alice", Caller.ownerOf(aliceToken, "::1"), "a personal token counts for its user");
        assertEquals("robot$team+ci", Caller.ownerOf(robot, "127.0.0.1"));
    }

    @Test
    void anonymousCallersAreCountedPerAddress() {
        assertEquals("anonymous/127.0.0.1", Caller.ownerOf(Identity.ANONYMOUS, "127.0.0.1"));
        assertNotEquals(Caller.ownerOf(Identity.ANONYMOUS, "127.0.0.1"), Caller.ownerOf(Identity.ANONYMOUS, "127.0.0.2"));
        // a username never holds a '/' (Account grammar), so no account can share an address's count
        assertNotEquals("anonymous/127.0.0.1", Caller.ownerOf(
                new Identity(Identity.Kind.USER, "anonymous", false, null, EnumSet.allOf(Action.class)), "127.0.0.1"));
    }
}
