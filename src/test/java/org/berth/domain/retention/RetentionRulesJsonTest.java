package org.berth.domain.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.berth.domain.policy.Selector;
import org.junit.jupiter.api.Test;

class RetentionRulesJsonTest {

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> RetentionRulesJson.read(json(text))).getMessage();
    }

    @Test
    void readsWhatItWrites() {
        List<RetentionRule> rules = List.of(
                new RetentionRule(Selector.excluding("tmp/**"), Selector.matching("build-*"), true, KeepMode.LATEST_PULLED, 7),
                new RetentionRule(Selector.ALL, Selector.matching("v*"), false, KeepMode.ALWAYS, 0));
        assertEquals(rules, RetentionRulesJson.read(json(RetentionRulesJson.write(rules).toString())));
        assertEquals("{\"pattern\":\"v*\",\"mode\":\"matching\"}", RetentionRulesJson.selector(Selector.matching("v*")).toString());
    }

    @Test
    void modeDefaultsToMatchingAndUntaggedToFalse() {
        RetentionRule r = RetentionRulesJson.read(json("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},"
                + "\"keep\":\"pushed_within_days\",\"amount\":30}]")).get(0);
        assertEquals(Selector.Mode.MATCHING, r.tag().mode());
        assertEquals(false, r.untagged());
        assertEquals(30, r.amount());
    }

    @Test
    void refusalsNameTheRuleAndTheField() {
        assertEquals("rules must be a list of rules", refusal("{}"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"{a\"},\"keep\":\"always\"}]")
                .startsWith("rules[0].tag: '{' without '}'"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\"},"
                + "{\"repository\":{\"pattern\":\"**\",\"mode\":\"all\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\"}]")
                .startsWith("rules[1].repository: selector mode"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"latest_pushed\"}]")
                .startsWith("rules[0].amount must be a whole number"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"latest_pushed\",\"amount\":2.5}]")
                .startsWith("rules[0].amount"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"keep\":\"always\"}]").startsWith("rules[0].tag is required"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\",\"count\":1}]")
                .startsWith("rules[0]: 'count' is not a field"));
        assertTrue(refusal("[{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\",\"untagged\":1}]")
                .startsWith("rules[0].untagged must be true or false"));
        assertTrue(refusal("[" + "{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\"},".repeat(15)
                + "{\"repository\":{\"pattern\":\"**\"},\"tag\":{\"pattern\":\"*\"},\"keep\":\"always\"}]").contains("at most 15"));
    }
}
