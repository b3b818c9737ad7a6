package org.berth.api.admin;

import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.NoSuchElementException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

import org.berth.domain.Action;
import org.berth.domain.BoundedJson;
import org.berth.domain.RegistryException;
import org.berth.domain.Role;

/**
 * A JSON object request body, read strictly: a field of the wrong type, an unknown action or role,
 * a body that is not JSON, nested deeper than {@link #MAX_DEPTH} or with a string longer than
 * {@link #MAX_STRING} is a 400 {@code INVALID_REQUEST} naming the field.
 */
final class JsonRequest {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Administration bodies are flat objects with the odd list: 64 levels is generous. */
    static final int MAX_DEPTH = 64;

    /** Names, passwords, descriptions: none is near this long. */
    static final int MAX_STRING = 8 * 1024;

    private static final BoundedJson BOUNDED = new BoundedJson(MAX_DEPTH, MAX_STRING,
            reason -> new RegistryException.InvalidRequest("the request body was refused: " + reason));

    private final JsonObject body;

    private JsonRequest(JsonObject body) {
        this.body = body;
    }

    static JsonRequest parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RegistryException.InvalidRequest("a JSON object is required as the request body");
        }
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new RegistryException.InvalidRequest("the request body must be a JSON object");
            }
            JsonObject object = BOUNDED.readObject(parser);
            if (parser.hasNext()) {
                throw new RegistryException.InvalidRequest("the request body must be one JSON object");
            }
            return new JsonRequest(object);
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw new RegistryException.InvalidRequest("the request body is not valid JSON");
        }
    }

    /** The whole body, for a shape read elsewhere (a replication rule with its nested objects). */
    JsonObject object() {
        return body;
    }

    /** Refuses a field not in {@code allowed}: a misspelt option must not be ignored silently. */
    void onlyFields(Set<String> allowed) {
        for (String name : body.keySet()) {
            if (!allowed.contains(name)) {
                throw new RegistryException.InvalidRequest("'" + name + "' is not a field of this request; the fields are "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private Optional<JsonValue> field(String name) {
        JsonValue value = body.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? Optional.empty() : Optional.of(value);
    }

    /** A field as it was sent, for a shape read elsewhere (retention rules); empty when absent or null. */
    Optional<JsonValue> value(String name) {
        return field(name);
    }

    Optional<String> string(String name) {
        return field(name).map(v -> {
            if (v instanceof JsonString s) {
                return s.getString();
            }
            throw new RegistryException.InvalidRequest("'" + name + "' must be a string");
        });
    }

    String requiredString(String name) {
        return string(name).orElseThrow(() -> missing(name));
    }

    /** A secret as characters; never echoed in errors. */
    Optional<char[]> password(String name) {
        return string(name).map(String::toCharArray);
    }

    char[] requiredPassword(String name) {
        return password(name).orElseThrow(() -> missing(name));
    }

    /**
     * A string field of a change (PATCH): empty when the field is absent (no change), {@code ""}
     * when it is {@code null} or {@code ""} (remove the value), else the string.
     */
    Optional<String> change(String name) {
        return body.containsKey(name) ? Optional.of(string(name).orElse("")) : Optional.empty();
    }

    Optional<Boolean> bool(String name) {
        return field(name).map(v -> switch (v.getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw new RegistryException.InvalidRequest("'" + name + "' must be true or false");
        });
    }

    boolean requiredBool(String name) {
        return bool(name).orElseThrow(() -> missing(name));
    }

    /** Project roles by their JSON names: project_admin, maintainer, developer, guest. */
    Role role(String name) {
        String value = requiredString(name);
        return Role.byJsonName(value).orElseThrow(() -> new RegistryException.InvalidRequest(
                "'" + name + "' must be one of project_admin, maintainer, developer, guest"));
    }

    /** A list such as {@code ["pull","push"]}: each of pull, push, delete. */
    Set<Action> actions(String name) {
        JsonValue value = field(name).orElseThrow(() -> missing(name));
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new RegistryException.InvalidRequest("'" + name + "' must be a list such as [\"pull\", \"push\"]");
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (JsonValue item : value.asJsonArray()) {
            Optional<Action> action = item instanceof JsonString s ? Action.byScopeName(s.getString()) : Optional.empty();
            actions.add(action.orElseThrow(() -> new RegistryException.InvalidRequest(
                    "'" + name + "' may hold only \"pull\", \"push\" and \"delete\"")));
        }
        return actions;
    }

    /**
     * A list of strings such as {@code ["push_artifact"]}, of at most {@code max} items; empty when
     * the field is absent or null.
     */
    Optional<List<String>> strings(String name, int max) {
        return field(name).map(value -> {
            if (value.getValueType() != JsonValue.ValueType.ARRAY) {
                throw new RegistryException.InvalidRequest("'" + name + "' must be a list of strings");
            }
            if (value.asJsonArray().size() > max) {
                throw new RegistryException.InvalidRequest("'" + name + "' may hold at most " + max + " items");
            }
            List<String> strings = new ArrayList<>();
            for (JsonValue item : value.asJsonArray()) {
                if (!(item instanceof JsonString s)) {
                    throw new RegistryException.InvalidRequest("'" + name + "' must be a list of strings");
                }
                strings.add(s.getString());
            }
            return strings;
        });
    }

    /** A whole number that fits in 64 bits. */
    long requiredLong(String name) {
        JsonValue value = field(name).orElseThrow(() -> missing(name));
        if (value instanceof jakarta.json.JsonNumber n && n.isIntegral()) {
            try {
                return n.bigIntegerValueExact().longValueExact();
            } catch (ArithmeticException e) {
                // refused below
            }
        }
        throw new RegistryException.InvalidRequest("'" + name + "' must be a whole number");
    }

    /** An ISO-8601 instant: {@code 2026-12-31T00:00:00Z} or with an offset. */
    Optional<Instant> instant(String name) {
        return string(name).map(text -> {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new RegistryException.InvalidRequest(
                        "'" + name + "' must be an ISO-8601 date and time such as 2026-12-31T00:00:00Z");
            }
        });
    }

    /** A nested JSON object, checked by the caller field by field (it is within the depth and string bounds). */
    Optional<JsonObject> object(String name) {
        return field(name).map(v -> {
            if (v instanceof JsonObject o) {
                return o;
            }
            throw new RegistryException.InvalidRequest("'" + name + "' must be a JSON object");
        });
    }

    private static RegistryException missing(String name) {
        return new RegistryException.InvalidRequest("'" + name + "' is required");
    }
}
