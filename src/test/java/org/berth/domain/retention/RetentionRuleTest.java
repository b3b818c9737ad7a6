package org.berth.domain.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.berth.domain.policy.Selector;
import org.junit.jupiter.api.Test;

class RetentionRuleTest {

    @Test
    void amountsAreCheckedByMode() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionRule(Selector.ALL, Selector.ALL, false, KeepMode.LATEST_PUSHED, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RetentionRule(Selector.ALL, Selector.ALL, false, KeepMode.LATEST_PULLED, KeepMode.MAX_COUNT + 1));
        assertThrows(IllegalArgumentException.class,
                () -> new RetentionRule(Selector.ALL, Selector.ALL, false, KeepMode.PUSHED_WITHIN_DAYS, KeepMode.MAX_DAYS + 1));
        IllegalArgumentException always = assertThrows(IllegalArgumentException.class,
                () -> new RetentionRule(Selector.ALL, Selector.ALL, false, KeepMode.ALWAYS, 3));
        assertEquals("always takes no amount", always.getMessage());
        assertEquals("latest_pushed 5 of tags build-* in not tmp/**",
                new RetentionRule(Selector.excluding("tmp/**"), Selector.matching("build-*"), false, KeepMode.LATEST_PUSHED, 5).describe());
    }

    @Test
    void modesByJsonName() {
        assertEquals(KeepMode.PULLED_WITHIN_DAYS, KeepMode.fromJson("pulled_within_days"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeepMode.fromJson("newest"));
        assertTrue(e.getMessage().contains("latest_pushed"), e.getMessage());
    }

    @Test
    void policyBounds() {
        RetentionRule r = new RetentionRule(Selector.ALL, Selector.ALL, false, KeepMode.ALWAYS, 0);
        assertThrows(IllegalArgumentException.class,
                () -> new RetentionPolicy("p", Collections.nCopies(16, r), null, false, false, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy("p", List.of(r), "61 * * * *", false, false, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy("p", List.of(), null, true, false, null, null));
        new RetentionPolicy("p", Collections.nCopies(15, r), "@daily", true, true, null, null);
    }

    @Test
    void fingerprintNamesTheRulesInOrder() {
        RetentionRule a = new RetentionRule(Selector.ALL, Selector.matching("b-*"), false, KeepMode.LATEST_PUSHED, 5);
        RetentionRule b = new RetentionRule(Selector.ALL, Selector.matching("v*"), false, KeepMode.ALWAYS, 0);
        RetentionRule a6 = new RetentionRule(Selector.ALL, Selector.matching("b-*"), false, KeepMode.LATEST_PUSHED, 6);
        assertEquals(RetentionPolicy.fingerprint(List.of(a, b)), RetentionPolicy.fingerprint(List.of(
                new RetentionRule(Selector.matching("**"), Selector.matching("b-*"), false, KeepMode.LATEST_PUSHED, 5), b)));
        assertNotEquals(RetentionPolicy.fingerprint(List.of(a, b)), RetentionPolicy.fingerprint(List.of(a6, b)));
        assertNotEquals(RetentionPolicy.fingerprint(List.of(a, b)), RetentionPolicy.fingerprint(List.of(b, a)));
        assertEquals(32, RetentionPolicy.fingerprint(List.of()).length());
    }
}
