package org.berth.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void singleStarStopsAtSlash() {
        Glob g = Glob.parse("app/*");
        assertTrue(g.matches("app/api"));
        assertFalse(g.matches("app/api/v2"));
        assertFalse(g.matches("app"));
    }

    @Test
    void doubleStarCrossesSlashes() {
        assertTrue(Glob.parse("**").matches("a/b/c"));
        assertTrue(Glob.parse("app/**").matches("app/a/b"));
        assertTrue(Glob.parse("**/api").matches("api"));
        assertTrue(Glob.parse("**/api").matches("x/y/api"));
        assertFalse(Glob.parse("**/api").matches("xapi"));
    }

    @Test
    void tagGlobs() {
        Glob v = Glob.parse("v*");
        assertTrue(v.matches("v1.2.3"));
        assertFalse(v.matches("build-1"));
        assertTrue(Glob.parse("build-?").matches("build-7"));
        assertFalse(Glob.parse("build-?").matches("build-17"));
        assertTrue(Glob.parse("{latest,stable}").matches("stable"));
        assertFalse(Glob.parse("{latest,stable}").matches("stab"));
    }

    @Test
    void alternativesHoldAnyGlobAndJoinWhatFollows() {
        Glob g = Glob.parse("{v*,release-?,rc}-amd64");
        assertTrue(g.matches("v1.2-amd64"));
        assertTrue(g.matches("release-3-amd64"));
        assertTrue(g.matches("rc-amd64"));
        assertFalse(g.matches("rc"));
        assertFalse(g.matches("release-33-amd64"));
        assertTrue(Glob.parse("{**/api,web}").matches("a/b/api"));
        assertTrue(Glob.parse("{**/api,web}").matches("api"));
        assertTrue(Glob.parse("{**/api,web}").matches("web"));
        assertFalse(Glob.parse("{**/api,web}").matches("x/web"));
        assertTrue(Glob.parse("a,b").matches("a,b"));
        assertTrue(Glob.parse("{a,}x").matches("x"));
    }

    @Test
    void matchingTakesLinearTimeWhateverThePattern() {
        // a backtracking regular expression takes minutes here
        Glob stars = Glob.parse("a*".repeat(100) + "b");
        Glob doubles = Glob.parse("a**".repeat(80) + "b");
        long started = System.nanoTime();
        assertFalse(stars.matches("a".repeat(255)));
        assertFalse(doubles.matches("a/".repeat(127)));
        assertTrue(stars.matches("a".repeat(200) + "b"));
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "matching took more than 2 s");
    }

    @Test
    void regexCharactersAreLiteral() {
        assertTrue(Glob.parse("1.2").matches("1.2"));
        assertFalse(Glob.parse("1.2").matches("1x2"));
        assertTrue(Glob.parse("a+b(c)|[d]").matches("a+b(c)|[d]"));
    }

    @Test
    void malformedPatternsAreRefusedWithTheReason() {
        assertEquals("pattern must not be empty", assertThrows(IllegalArgumentException.class, () -> Glob.parse("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Glob.parse("{a,{b}}"));
        assertThrows(IllegalArgumentException.class, () -> Glob.parse("{a"));
        assertThrows(IllegalArgumentException.class, () -> Glob.parse("a}"));
        assertThrows(IllegalArgumentException.class, () -> Glob.parse("x".repeat(Glob.MAX_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> Glob.parse("a\nb"));
    }

    @Test
    void selectorModes() {
        assertTrue(Selector.matching("v*").selects("v1"));
        assertFalse(Selector.excluding("v*").selects("v1"));
        assertTrue(Selector.excluding("v*").selects("build-1"));
        assertEquals(Selector.Mode.EXCLUDING, Selector.Mode.fromJson("excluding"));
        assertThrows(IllegalArgumentException.class, () -> Selector.Mode.fromJson("include"));
        assertEquals("app/api", Selector.repositoryPath("team-a", "team-a/app/api"));
        assertEquals("other/x", Selector.repositoryPath("team-a", "other/x"));
    }
}
