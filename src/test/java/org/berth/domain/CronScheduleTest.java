package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static ZonedDateTime at(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), UTC);
    }

    private static String next(String expression, String after) {
        return CronSchedule.parse(expression).next(at(after)).orElseThrow().toLocalDateTime().toString();
    }

    private static List<String> firings(String expression, String after, int n) {
        CronSchedule schedule = CronSchedule.parse(expression);
        List<String> times = new ArrayList<>();
        ZonedDateTime t = at(after);
        for (int i = 0; i < n; i++) {
            t = schedule.next(t).orElseThrow();
            times.add(t.toLocalDateTime().toString());
        }
        return times;
    }

    @Test
    void everyMinuteFiresAtTheNextWholeMinuteStrictlyAfter() {
        assertEquals("2026-03-01T10:16", next("* * * * *", "2026-03-01T10:15:00"));
        assertEquals("2026-03-01T10:16", next("* * * * *", "2026-03-01T10:15:59.999"));
    }

    @Test
    void fixedTimesRollOverHoursDaysMonthsAndYears() {
        assertEquals("2026-03-02T03:30", next("30 3 * * *", "2026-03-01T03:30:00"));
        assertEquals("2026-03-01T03:30", next("30 3 * * *", "2026-03-01T03:29:00"));
        assertEquals("2027-01-01T00:00", next("0 0 1 1 *", "2026-01-01T00:00:00"));
        assertEquals("2026-04-30T23:59", next("59 23 30 * *", "2026-03-31T00:00:00"));
    }

    @Test
    void stepsRangesListsAndNames() {
        assertEquals(List.of("2026-03-01T10:15", "2026-03-01T10:30", "2026-03-01T10:45", "2026-03-01T11:00"),
                firings("*/15 * * * *", "2026-03-01T10:00:00", 4));
        assertEquals(List.of("2026-03-01T10:05", "2026-03-01T10:25", "2026-03-01T10:45", "2026-03-01T11:05"),
                firings("5/20 * * * *", "2026-03-01T10:00:00", 4));
        assertEquals(List.of("2026-03-02T09:00", "2026-03-02T12:00", "2026-03-02T17:00", "2026-03-03T09:00"),
                firings("0 9,12,17 * * MON-FRI", "2026-03-01T10:00:00", 4)); // 2026-03-01 is a Sunday
        assertEquals(List.of("2026-06-01T00:00", "2026-07-01T00:00", "2026-08-01T00:00", "2027-06-01T00:00"),
                firings("0 0 1 jun-aug *", "2026-03-01T00:00:00", 4));
        assertEquals(List.of("2026-03-01T02:00", "2026-03-01T02:10", "2026-03-01T02:20", "2026-03-01T04:00"),
                firings("0-20/10 2-4/2 * * *", "2026-03-01T01:00:00", 4));
    }

    @Test
    void sundayIsZeroAndSeven() {
        assertEquals("2026-03-08T04:00", next("0 4 * * 0", "2026-03-01T05:00:00"));
        assertEquals("2026-03-08T04:00", next("0 4 * * 7", "2026-03-01T05:00:00"));
        assertEquals("2026-03-08T04:00", next("0 4 * * sun", "2026-03-01T05:00:00"));
    }

    @Test
    void dayOfMonthAndDayOfWeekBothRestrictedMatchEither() {
        // the 13th, or any Friday (2026-03-06 is a Friday)
        assertEquals(List.of("2026-03-06T00:00", "2026-03-13T00:00", "2026-03-20T00:00", "2026-03-27T00:00"),
                firings("0 0 13 * 5", "2026-03-01T00:00:00", 4));
        // only one restricted: both must hold (a star day of month, Fridays only)
        assertEquals("2026-03-06T00:00", next("0 0 * * 5", "2026-03-01T00:00:00"));
        // a stepped star is still a star for this rule
        assertEquals("2026-03-13T00:00", next("0 0 13 * */1", "2026-03-01T00:00:00"));
    }

    @Test
    void macros() {
        assertEquals("2026-03-01T11:00", next("@hourly", "2026-03-01T10:00:00"));
        assertEquals("2026-03-02T00:00", next("@daily", "2026-03-01T10:00:00"));
        assertEquals("2026-03-02T00:00", next("@midnight", "2026-03-01T10:00:00"));
        assertEquals("2026-03-08T00:00", next("@weekly", "2026-03-01T10:00:00"));
        assertEquals("2026-04-01T00:00", next("@monthly", "2026-03-01T10:00:00"));
        assertEquals("2027-01-01T00:00", next("@yearly", "2026-03-01T10:00:00"));
        assertEquals("2027-01-01T00:00", next("@ANNUALLY", "2026-03-01T10:00:00"));
    }

    @Test
    void leapDayFiresInLeapYearsOnly() {
        assertEquals("2028-02-29T00:00", next("0 0 29 2 *", "2026-03-01T00:00:00"));
    }

    @Test
    void aWallClockTimeSkippedByDaylightSavingRunsWhenTheClockGetsThere() {
        ZoneId berlin = ZoneId.of("Europe/Berlin"); // 2026-03-29 02:00 -> 03:00
        ZonedDateTime after = ZonedDateTime.of(2026, 3, 29, 1, 0, 0, 0, berlin);
        ZonedDateTime next = CronSchedule.parse("30 2 * * *").next(after).orElseThrow();
        assertTrue(next.isAfter(after));
        assertEquals(3, next.getHour(), next.toString());
    }

    @Test
    void badExpressionsNameTheField() {
        assertMessage("has 4 fields", "* * * *");
        assertMessage("has 6 fields", "0 * * * * *");
        assertMessage("minute field has 60", "60 * * * *");
        assertMessage("hour field has 'x'", "0 x * * *");
        assertMessage("day of month field has 0", "0 0 0 * *");
        assertMessage("month field has 'FOO'", "0 0 1 FOO *");
        assertMessage("day of week field has 8", "0 0 * * 8");
        assertMessage("runs backwards", "0 5-2 * * *");
        assertMessage("empty list item", "0 1,,2 * * *");
        assertMessage("never fires", "0 0 30 2 *");
        assertMessage("is not one of", "@sometimes");
        assertMessage("is empty", " ");
        assertMessage("not a number", "*/ * * * *");
    }

    private static void assertMessage(String expected, String expression) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(expression));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
