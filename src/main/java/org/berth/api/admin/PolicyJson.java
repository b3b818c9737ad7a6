package org.berth.api.admin;

import java.util.Set;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.domain.RegistryException;
import org.berth.domain.policy.Glob;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.Selector;

/**
 * How project policies read and show in the administration API: a selector is
 * {@code {"pattern":"v*","mode":"matching"}} (mode {@code matching} or {@code excluding}, matching
 * when absent), an immutable-tag rule is
 * {@code {"id","name","repository":{selector},"tag":{selector},"disabled","created_at","created_by"}}.
 */
final class PolicyJson {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Set<String> SELECTOR_FIELDS = Set.of("pattern", "mode");

    private PolicyJson() {
    }

    /**
     * The selector in field {@code name} of the body, or {@code absent} when the field is missing.
     *
     * @param absent null when the field is required
     */
    static Selector selector(JsonRequest body, String name, Selector absent) {
        JsonObject object = body.object(name).orElse(null);
        if (object == null) {
            if (absent == null) {
                throw new RegistryException.InvalidRequest("'" + name + "' is required");
            }
            return absent;
        }
        for (String field : object.keySet()) {
            if (!SELECTOR_FIELDS.contains(field)) {
                throw new RegistryException.InvalidRequest("'" + name + "." + field
                        + "' is not a field of a selector; the fields are mode, pattern");
            }
        }
        String pattern = string(object, name, "pattern");
        if (pattern == null) {
            throw new RegistryException.InvalidRequest("'" + name + ".pattern' is required");
        }
        String mode = string(object, name, "mode");
        try {
            return new Selector(Glob.parse(pattern), mode == null ? Selector.Mode.MATCHING : Selector.Mode.fromJson(mode));
        } catch (IllegalArgumentException e) {
            throw new RegistryException.InvalidRequest("'" + name + "': " + e.getMessage());
        }
    }

    private static String string(JsonObject object, String name, String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new RegistryException.InvalidRequest("'" + name + "." + field + "' must be a string");
    }

    static JsonObject selector(Selector selector) {
        return JSON.createObjectBuilder()
                .add("pattern", selector.glob().pattern())
                .add("mode", selector.mode().jsonName())
                .build();
    }

    static JsonObject immutableRule(ImmutableRule rule) {
        return JSON.createObjectBuilder()
                .add("id", rule.id())
                .add("name", rule.name())
                .add("repository", selector(rule.repository()))
                .add("tag", selector(rule.tag()))
                .add("disabled", rule.disabled())
                .add("created_at", AdminJson.instant(rule.createdAt()))
                .add("created_by", rule.createdBy())
                .build();
    }
}
