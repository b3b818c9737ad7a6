package org.berth.domain.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void aStarStaysWithinOneSegment() {
        Glob glob = Glob.of("team/*");
        assertTrue(glob.matches("team/app"));
        assertTrue(glob.matches("team/"));
        assertFalse(glob.matches("team/app/api"));
        assertFalse(glob.matches("other/app"));
        assertFalse(glob.matches("team"));
    }

    @Test
    void twoStarsCrossSegments() {
        Glob glob = Glob.of("team/**");
        assertTrue(glob.matches("team/app"));
        assertTrue(glob.matches("team/app/api/v1"));
        assertFalse(glob.matches("teams/app"));
        assertTrue(Glob.of("**/app").matches("app"), "**/ matches no segment too");
        assertTrue(Glob.of("**/app").matches("a/b/app"));
        assertFalse(Glob.of("**/app").matches("a/b/apps"));
        assertTrue(Glob.of("a/**/z").matches("a/z"));
        assertTrue(Glob.of("a/**/z").matches("a/b/c/z"));
    }

    @Test
    void aQuestionMarkIsOneCharacterOtherThanASlash() {
        Glob glob = Glob.of("v?.0");
        assertTrue(glob.matches("v1.0"));
        assertFalse(glob.matches("v10.0"));
        assertFalse(glob.matches("v.0"));
        assertFalse(Glob.of("a?b").matches("a/b"));
    }

    @Test
    void everythingElseIsLiteral() {
        assertTrue(Glob.of("v1.0").matches("v1.0"));
        assertFalse(Glob.of("v1.0").matches("v1x0"), "a dot is no regex wildcard");
        assertFalse(Glob.of("a+b").matches("aab"));
        assertTrue(Glob.of("a+b").matches("a+b"));
        assertTrue(Glob.of("(x)[y]").matches("(x)[y]"));
    }

    @Test
    void theEmptyGlobMatchesEverything() {
        assertTrue(Glob.of("").matches("any/thing"));
        assertTrue(Glob.of(null).matches("x"));
        assertTrue(Glob.of("").isEmpty());
    }

    @Test
    void wildcardsAreTold() {
        assertTrue(Glob.of("team/*").hasWildcards());
        assertTrue(Glob.of("v?").hasWildcards());
        assertFalse(Glob.of("team/app").hasWildcards());
    }

    @Test
    void overlongAndControlCharactersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Glob.of("a".repeat(Glob.MAX_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> Glob.of("a\nb"));
    }

    @Test
    void manyStarsDoNotBacktrackForEver() {
        Glob glob = Glob.of("*a*a*a*a*a*a*a*a*a*a*b");
        long start = System.nanoTime();
        assertFalse(glob.matches("a".repeat(40)));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "a pathological name is matched in time");
    }

    @Test
    void takesAlternativesAsThePolicyGlobsDo() {
        Glob glob = Glob.of("team/{api,web}");
        assertTrue(glob.matches("team/api"));
        assertTrue(glob.matches("team/web"));
        assertFalse(glob.matches("team/db"));
        assertTrue(glob.hasWildcards(), "alternatives name more than one repository");
        assertThrows(IllegalArgumentException.class, () -> Glob.of("team/{api"));
    }
}
