package org.berth.domain;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * Reads one JSON object from a streaming parser without recursion, refusing a document nested
 * deeper than {@code maxDepth}, holding a key or string longer than {@code maxString}
 * characters, or a number longer than {@link #MAX_NUMBER}. The refusal is built by the caller, so each route keeps its own error code
 * (MANIFEST_INVALID for a manifest, INVALID_REQUEST for the administration API).
 *
 * <p>Why not the parser's own {@code getObject()}: it recurses once per level and Payara's
 * parsson (1.1.5) allows 1000 levels, so a deep document cost a deep stack and its failure was
 * a 500; here depth is counted before anything is built.
 */
public final class BoundedJson {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** The longest number, in characters: an int64 has 19 digits, a double's text some 25. */
    static final int MAX_NUMBER = 100;

    private final int maxDepth;
    private final int maxString;
    private final Function<String, RegistryException> refuse;

    /**
     * @param maxDepth  the deepest nesting allowed; the outer object is level 1
     * @param maxString the longest key or string value allowed, in characters
     * @param refuse    turns the reason into the exception the route sends
     */
    public BoundedJson(int maxDepth, int maxString, Function<String, RegistryException> refuse) {
        this.maxDepth = maxDepth;
        this.maxString = maxString;
        this.refuse = refuse;
    }

    /** One node under construction: an object (with the key awaiting its value) or an array. */
    private static final class Level {
        final JsonObjectBuilder object;
        final JsonArrayBuilder array;
        String key;

        Level(JsonObjectBuilder object, JsonArrayBuilder array) {
            this.object = object;
            this.array = array;
        }

        void add(JsonValue value) {
            if (object != null) {
                object.add(key, value);
            } else {
                array.add(value);
            }
        }

        JsonValue build() {
            return object != null ? object.build() : array.build();
        }
    }

    /**
     * Reads the object whose START_OBJECT the parser has just returned, up to its END_OBJECT.
     *
     * @throws RegistryException from {@code refuse} when a limit is passed
     */
    public JsonObject readObject(JsonParser parser) {
        Deque<Level> levels = new ArrayDeque<>();
        levels.push(new Level(JSON.createObjectBuilder(), null));
        while (true) {
            JsonParser.Event event = parser.next();
            switch (event) {
                case START_OBJECT, START_ARRAY -> {
                    if (levels.size() >= maxDepth) {
                        throw refuse.apply("JSON nested deeper than " + maxDepth + " levels");
                    }
                    levels.push(event == JsonParser.Event.START_OBJECT
                            ? new Level(JSON.createObjectBuilder(), null) : new Level(null, JSON.createArrayBuilder()));
                }
                case END_OBJECT, END_ARRAY -> {
                    JsonValue done = levels.pop().build();
                    if (levels.isEmpty()) {
                        return (JsonObject) done;
                    }
                    levels.peek().add(done);
                }
                case KEY_NAME -> levels.peek().key = bounded(parser.getString(), "key");
                case VALUE_STRING -> {
                    bounded(parser.getString(), "string");
                    levels.peek().add(parser.getValue());
                }
                case VALUE_NUMBER -> {
                    // parsson refuses a number of over 1100 characters with an
                    // UnsupportedOperationException (a 500); no number Berth reads needs 100
                    if (parser.getString().length() > MAX_NUMBER) {
                        throw refuse.apply("a JSON number longer than " + MAX_NUMBER + " characters");
                    }
                    levels.peek().add(parser.getValue());
                }
                default -> levels.peek().add(parser.getValue());
            }
        }
    }

    private String bounded(String text, String what) {
        if (text.length() > maxString) {
            throw refuse.apply("a JSON " + what + " longer than " + maxString + " characters");
        }
        return text;
    }
}
