package org.berth.domain.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.domain.policy.Glob;
import org.berth.domain.policy.Selector;

/**
 * Retention rules as JSON, one shape for the API and the database column:
 * <pre>{"repository":{"pattern":"**","mode":"matching"},"tag":{"pattern":"build-*","mode":"matching"},
 *  "untagged":false,"keep":"latest_pushed","amount":5}</pre>
 * ({@code untagged} defaults to false, {@code amount} is left out for {@code always}). Reading
 * refuses anything else with a message that names the rule and the field.
 */
public final class RetentionRulesJson {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<String> RULE_FIELDS = Set.of("repository", "tag", "untagged", "keep", "amount");
    private static final Set<String> SELECTOR_FIELDS = Set.of("pattern", "mode");

    private RetentionRulesJson() {
    }

    public static JsonArray write(List<RetentionRule> rules) {
        JsonArrayBuilder out = JSON.createArrayBuilder();
        for (RetentionRule r : rules) {
            var rule = JSON.createObjectBuilder()
                    .add("repository", selector(r.repository()))
                    .add("tag", selector(r.tag()))
                    .add("untagged", r.untagged())
                    .add("keep", r.keep().jsonName());
            if (r.keep().amount() != KeepMode.Amount.NONE) {
                rule.add("amount", r.amount());
            }
            out.add(rule);
        }
        return out.build();
    }

    public static JsonObject selector(Selector s) {
        return JSON.createObjectBuilder().add("pattern", s.glob().pattern()).add("mode", s.mode().jsonName()).build();
    }

    /** @throws IllegalArgumentException naming the rule ({@code rules[2].tag.pattern: ...}) */
    public static List<RetentionRule> read(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException("rules must be a list of rules");
        }
        if (array.size() > RetentionPolicy.MAX_RULES) {
            throw new IllegalArgumentException("a project has at most " + RetentionPolicy.MAX_RULES + " retention rules, not "
                    + array.size());
        }
        List<RetentionRule> rules = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "rules[" + i + "]";
            if (!(array.get(i) instanceof JsonObject o)) {
                throw new IllegalArgumentException(at + " must be an object");
            }
            only(o, RULE_FIELDS, at);
            KeepMode keep;
            try {
                keep = KeepMode.fromJson(string(o, "keep", at));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".keep: " + e.getMessage(), e);
            }
            int amount = keep.amount() == KeepMode.Amount.NONE && !o.containsKey("amount") ? 0 : number(o, "amount", at);
            boolean untagged = switch (o.getOrDefault("untagged", JsonValue.FALSE).getValueType()) {
                case TRUE -> true;
                case FALSE, NULL -> false;
                default -> throw new IllegalArgumentException(at + ".untagged must be true or false");
            };
            try {
                rules.add(new RetentionRule(selector(o, "repository", at), selector(o, "tag", at), untagged, keep, amount));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(at) ? e : new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return rules;
    }

    private static Selector selector(JsonObject rule, String name, String at) {
        String here = at + "." + name;
        if (!(rule.get(name) instanceof JsonObject o)) {
            throw new IllegalArgumentException(here + " is required: {\"pattern\": \"**\", \"mode\": \"matching\"}");
        }
        only(o, SELECTOR_FIELDS, here);
        try {
            Glob glob = Glob.parse(string(o, "pattern", here));
            Selector.Mode mode = o.containsKey("mode") ? Selector.Mode.fromJson(string(o, "mode", here)) : Selector.Mode.MATCHING;
            return new Selector(glob, mode);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(here) ? e : new IllegalArgumentException(here + ": " + e.getMessage(), e);
        }
    }

    private static void only(JsonObject o, Set<String> fields, String at) {
        for (String key : o.keySet()) {
            if (!fields.contains(key)) {
                throw new IllegalArgumentException(at + ": '" + key + "' is not a field; the fields are "
                        + String.join(", ", fields.stream().sorted().toList()));
            }
        }
    }

    private static String string(JsonObject o, String name, String at) {
        if (o.get(name) instanceof JsonString s) {
            return s.getString();
        }
        throw new IllegalArgumentException(at + "." + name + " must be a string");
    }

    private static int number(JsonObject o, String name, String at) {
        if (o.get(name) instanceof JsonNumber n && n.isIntegral()) {
            try {
                return n.intValueExact();
            } catch (ArithmeticException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(at + "." + name + " must be a whole number");
    }
}
