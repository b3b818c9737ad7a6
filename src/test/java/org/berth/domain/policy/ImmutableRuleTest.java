package org.berth.domain.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;
import org.junit.jupiter.api.Test;

class ImmutableRuleTest {

    private static ImmutableRule rule(String project, Selector repository, Selector tag, boolean disabled) {
        return new ImmutableRule(1, project, "releases", repository, tag, disabled, Instant.EPOCH, "alice");
    }

    private static boolean protects(ImmutableRule rule, String repository, String tag) {
        return rule.protects(RepositoryName.parse(repository), new Tag(tag));
    }

    @Test
    void theRepositorySelectorSeesThePathInsideTheProject() {
        ImmutableRule r = rule("team-a", Selector.matching("app"), Selector.matching("v*"), false);
        assertTrue(protects(r, "team-a/app", "v1.2.3"));
        assertFalse(protects(r, "team-a/app/api", "v1.2.3"), "'app' is one segment, not a prefix");
        assertFalse(protects(r, "team-a/team-a/app", "v1"), "the project's segment is removed once");
        assertFalse(protects(r, "team-b/app", "v1"), "another project's repository of the same path");
        assertFalse(protects(r, "team-ab/app", "v1"), "a project whose name starts with this one's");
        assertFalse(protects(r, "team-a/app", "1.0"));
    }

    @Test
    void aRuleOfAProjectNeverProtectsAnotherProjectsRepositories() {
        ImmutableRule everything = rule("team-a", Selector.ALL, Selector.matching("**"), false);
        assertTrue(protects(everything, "team-a/x/y/z", "latest"));
        assertFalse(protects(everything, "team-a", "latest"), "a single-component name belongs to library");
        assertFalse(protects(everything, "library/team-a", "latest"));
    }

    @Test
    void libraryHoldsTheSingleComponentNames() {
        ImmutableRule r = rule("library", Selector.matching("nginx"), Selector.matching("1.*"), false);
        assertTrue(protects(r, "nginx", "1.25"));
        assertTrue(protects(r, "library/nginx", "1.25"));
        assertFalse(protects(r, "redis", "1.25"));
    }

    @Test
    void excludingSelectorsProtectEverythingElse() {
        ImmutableRule r = rule("team-a", Selector.excluding("dev/**"), Selector.excluding("{latest,pr-*}"), false);
        assertTrue(protects(r, "team-a/app", "v1"));
        assertTrue(protects(r, "team-a/devtools", "v1"), "dev/** is the folder dev, not a prefix");
        assertFalse(protects(r, "team-a/dev/app", "v1"));
        assertFalse(protects(r, "team-a/app", "latest"));
        assertFalse(protects(r, "team-a/app", "pr-12"));
        assertTrue(protects(r, "team-a/app", "pr"));
    }

    @Test
    void aDisabledRuleProtectsNothing() {
        ImmutableRule r = rule("team-a", Selector.ALL, Selector.matching("*"), true);
        assertFalse(protects(r, "team-a/app", "v1"));
        assertFalse(protects(r, "team-a/app", "latest"));
    }

    @Test
    void tagGlobsAreWholeMatchesAndCaseSensitive() {
        ImmutableRule r = rule("team-a", Selector.ALL, Selector.matching("v?.*"), false);
        assertTrue(protects(r, "team-a/app", "v1.0"));
        assertFalse(protects(r, "team-a/app", "v10.0"));
        assertFalse(protects(r, "team-a/app", "V1.0"));
        assertFalse(protects(r, "team-a/app", "xv1.0"));
    }
}
