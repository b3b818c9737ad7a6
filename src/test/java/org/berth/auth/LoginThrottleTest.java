package org.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.berth.auth.LoginThrottle.Credential;
import org.berth.support.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: failures are counted per account and kind of credential, and the record is
 * bounded and expires; issue 19: nodes that share the record share the count and the lock.
 */
class LoginThrottleTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aPersonalTokenLoginDoesNotClearPasswordFailures() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 100);
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 4 && throttle.secondsLocked(Credential.PASSWORD, "alice") == 0; i++) {
                throttle.failed(Credential.PASSWORD, "alice");
            }
            throttle.succeeded(Credential.PERSONAL_TOKEN, "alice");
        }
        assertTrue(throttle.secondsLocked(Credential.PASSWORD, "alice") > 0, "16 wrong passwords around token logins lock the password");
        assertEquals(0, throttle.secondsLocked(Credential.PERSONAL_TOKEN, "alice"), "the token itself is not locked");
    }

    @Test
    void onlyACorrectPasswordClearsPasswordFailures() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 100);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed(Credential.PASSWORD, "bob");
        }
        throttle.succeeded(Credential.PASSWORD, "bob");
        throttle.failed(Credential.PASSWORD, "bob");
        assertEquals(0, throttle.secondsLocked(Credential.PASSWORD, "bob"));
    }

    @Test
    void guessingTokensLocksTokensNotThePassword() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 100);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed(Credential.PERSONAL_TOKEN, "carol");
        }
        assertTrue(throttle.secondsLocked(Credential.PERSONAL_TOKEN, "carol") > 0);
        assertEquals(0, throttle.secondsLocked(Credential.PASSWORD, "carol"));
    }

    @Test
    void unknownNamesCannotGrowTheRecordPastItsBound() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 1000);
        for (int i = 0; i < 3000; i++) {
            throttle.failed(Credential.PASSWORD, "nobody-" + i);
        }
        assertTrue(throttle.size() <= 1000, "entries: " + throttle.size());
    }

    @Test
    void aLockedAccountIsNotPushedOutByUnknownNames() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 50);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.failed(Credential.PASSWORD, "target");
        }
        for (int i = 0; i < 500; i++) {
            throttle.failed(Credential.PASSWORD, "spray-" + i);
        }
        assertTrue(throttle.secondsLocked(Credential.PASSWORD, "target") > 0);
        assertTrue(throttle.size() <= 50);
    }

    @Test
    void failuresExpireOnceTheWindowAndTheLockArePast() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 10_000);
        for (int i = 0; i < 3000; i++) {
            throttle.failed(Credential.PASSWORD, "nobody-" + i);
        }
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        throttle.failed(Credential.PASSWORD, "later");
        assertEquals(1, throttle.size());
    }

    @Test
    void failuresSpreadOverNodesSharingTheRecordLockTheAccountOnEveryNode() {
        LoginFailureStore shared = new InMemoryLoginFailures();
        LoginThrottle nodeA = new LoginThrottle(shared, clock, 100);
        LoginThrottle nodeB = new LoginThrottle(shared, clock, 100);
        LoginThrottle nodeC = new LoginThrottle(shared, clock, 100);
        LoginThrottle[] nodes = {nodeA, nodeB, nodeC};
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            nodes[i % 3].failed(Credential.PASSWORD, "dave");
        }
        assertEquals(0, nodeC.secondsLocked(Credential.PASSWORD, "dave"), "four failures do not lock");
        nodeB.failed(Credential.PASSWORD, "Dave");
        for (LoginThrottle node : nodes) {
            assertEquals(30, node.secondsLocked(Credential.PASSWORD, "dave"));
        }
    }

    @Test
    void theWindowStartsAgainAfterFiveMinutesWithoutALock() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 100);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed(Credential.PASSWORD, "erin");
        }
        clock.advance(LoginThrottle.WINDOW);
        throttle.failed(Credential.PASSWORD, "erin");
        assertEquals(0, throttle.secondsLocked(Credential.PASSWORD, "erin"), "the first four left the window");
    }

    @Test
    void eachFailureWhileLockedDoublesTheDelay() {
        LoginThrottle throttle = new LoginThrottle(new InMemoryLoginFailures(), clock, 100);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES + 2; i++) {
            throttle.failed(Credential.PASSWORD, "frank");
        }
        assertEquals(120, throttle.secondsLocked(Credential.PASSWORD, "frank"));
    }

    @Test
    void aNameLongerThanTheStoresKeyIsKeptByItsHash() {
        String longName = "x".repeat(500);
        String key = LoginThrottle.key(Credential.PASSWORD, longName);
        assertTrue(key.length() <= LoginFailureStore.MAX_KEY_LENGTH, key);
        assertEquals(key, LoginThrottle.key(Credential.PASSWORD, longName.toUpperCase(java.util.Locale.ROOT)));
    }
}
