package org.berth.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff standard = new Backoff(Backoff.DEFAULT_BASE, Backoff.DEFAULT_MAX_ATTEMPTS);

    @Test
    void theCeilingsGrowFromAMinuteToTwelveHoursThenStay() {
        assertEquals(Duration.ofMinutes(1), standard.ceiling(1));
        assertEquals(Duration.ofMinutes(5), standard.ceiling(2));
        assertEquals(Duration.ofMinutes(30), standard.ceiling(3));
        assertEquals(Duration.ofHours(1), standard.ceiling(4));
        assertEquals(Duration.ofHours(3), standard.ceiling(5));
        assertEquals(Duration.ofHours(6), standard.ceiling(6));
        assertEquals(Duration.ofHours(12), standard.ceiling(7));
        assertEquals(Duration.ofHours(12), standard.ceiling(20));
        for (int n = 2; n <= 7; n++) {
            assertTrue(standard.ceiling(n).compareTo(standard.ceiling(n - 1)) > 0, "attempt " + n);
        }
    }

    @Test
    void eightAttemptsSpreadOverAtMostAboutADay() {
        Duration longest = Duration.ZERO;
        for (int n = 1; n < Backoff.DEFAULT_MAX_ATTEMPTS; n++) {
            longest = longest.plus(standard.ceiling(n));
        }
        assertTrue(longest.compareTo(Duration.ofHours(20)) > 0, longest.toString());
        assertTrue(longest.compareTo(Duration.ofHours(25)) < 0, longest.toString());
    }

    @Test
    void fullJitterSpansZeroToTheCeiling() {
        assertEquals(Duration.ZERO, standard.delay(3, () -> 0.0));
        Duration top = standard.delay(3, () -> Math.nextDown(1.0));
        assertTrue(top.compareTo(standard.ceiling(3)) < 0);
        assertTrue(top.compareTo(standard.ceiling(3).minusMillis(2)) >= 0, top.toString());
        assertEquals(Duration.ofMinutes(15), standard.delay(3, () -> 0.5));
    }

    @Test
    void randomDelaysStayWithinTheirBoundsAndAreSpread() {
        Random random = new Random(42);
        for (int n = 1; n <= 8; n++) {
            long ceiling = standard.ceiling(n).toMillis();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long d = standard.delay(n, random::nextDouble).toMillis();
                assertTrue(d >= 0 && d < ceiling, "attempt " + n + ": " + d);
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            // full jitter, not equal jitter: both ends of the range are reached
            assertTrue(min < ceiling / 10, "attempt " + n + " min " + min);
            assertTrue(max > ceiling * 9 / 10, "attempt " + n + " max " + max);
        }
    }

    @Test
    void aShortBaseShortensTheWholeSchedule() {
        Backoff test = new Backoff(Duration.ofMillis(200), 8);
        assertEquals(Duration.ofMillis(400), test.ceiling(1));
        assertEquals(Duration.ofSeconds(2), test.ceiling(2));
    }

    @Test
    void theLastAllowedAttemptExhaustsIt() {
        assertFalse(standard.exhausted(1));
        assertFalse(standard.exhausted(7));
        assertTrue(standard.exhausted(8));
        assertTrue(new Backoff(Duration.ofSeconds(1), 1).exhausted(1));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 8));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> standard.delay(1, () -> 1.0));
        assertThrows(IllegalArgumentException.class, () -> standard.delay(1, () -> -0.1));
    }
}
