package org.berth.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule in the five-field syntax of cron(8), read as Vixie cron reads it: minute (0-59), hour
 * (0-23), day of month (1-31), month (1-12 or JAN-DEC) and day of week (0-7, 0 and 7 are Sunday, or
 * SUN-SAT), each a {@code *}, a number, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}
 * (written without the space), or a comma list of those; or one of {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}. When both
 * the day of month and the day of week are restricted (neither starts with {@code *}), a day
 * matching either runs, as in cron. Times are wall-clock times in the zone given to {@link #next}.
 * Used by the garbage collector's {@code BERTH_GC_SCHEDULE}; meant for every schedule Berth takes.
 */
public final class CronSchedule {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    /** How far {@link #next} looks ahead: a schedule that fires less often than this never fires (e.g. February 30). */
    private static final int YEARS_AHEAD = 5;

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronSchedule(String expression, String[] fields) {
        this.expression = expression;
        minutes = field("minute", fields[0], 0, 59, null);
        hours = field("hour", fields[1], 0, 23, null);
        daysOfMonth = field("day of month", fields[2], 1, 31, null);
        months = field("month", fields[3], 1, 12, MONTHS);
        BitSet dow = field("day of week", fields[4], 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        daysOfWeek = dow;
        dayOfMonthRestricted = !fields[2].startsWith("*");
        dayOfWeekRestricted = !fields[4].startsWith("*");
    }

    /**
     * Reads a cron expression.
     *
     * @throws IllegalArgumentException saying which field is wrong and why
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a cron expression is empty");
        }
        String text = expression.trim();
        String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        if (expanded.startsWith("@")) {
            throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", MACROS.keySet().stream().sorted().toList()));
        }
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("'" + text + "' has " + fields.length
                    + " fields; cron has five: minute hour day-of-month month day-of-week");
        }
        CronSchedule schedule = new CronSchedule(text, fields);
        if (schedule.next(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"))).isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' never fires (no such day)");
        }
        return schedule;
    }

    /** The first time after {@code after} (exclusive) at which the schedule fires, in {@code after}'s zone. */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZoneId zone = after.getZone();
        LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = t.plusYears(YEARS_AHEAD);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
            } else if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                ZonedDateTime candidate = t.atZone(zone);
                // a wall-clock time skipped by a daylight-saving change runs when the clock reaches it
                if (candidate.isAfter(after)) {
                    return Optional.of(candidate);
                }
                t = t.plusMinutes(1);
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private static BitSet field(String name, String text, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " field '" + text + "' has an empty list item");
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(name, part.substring(slash + 1), 1, max - min + 1, null);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-');
                if (dash >= 0) {
                    from = number(name, range.substring(0, dash), min, max, names);
                    to = number(name, range.substring(dash + 1), min, max, names);
                    if (to < from) {
                        throw new IllegalArgumentException("the " + name + " range '" + range + "' runs backwards");
                    }
                } else {
                    from = number(name, range, min, max, names);
                    to = slash >= 0 ? max : from; // "5/15" is "5-max/15", as in Vixie cron
                }
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String name, String text, int min, int max, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("the " + name + " field has '" + text + "', not a number from " + min + " to " + max);
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException("the " + name + " field has " + value + ", outside " + min + "-" + max);
        }
        return value;
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return expression;
    }
}
