package org.berth.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * Reads an upstream's bodies without trusting their size: every body read whole is capped, and
 * JSON is parsed only from capped bytes.
 */
final class BoundedBody {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private BoundedBody() {
    }

    /**
     * Reads at most {@code limit + 1} bytes, so a result longer than {@code limit} means "too
     * long" without reading the rest. Does not close the stream.
     */
    static byte[] readUpTo(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit + 1, 16 * 1024));
        byte[] buffer = new byte[8192];
        int total = 0;
        while (total <= limit) {
            int n = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    /** Parses a JSON object, or null when the bytes are not one. */
    static JsonObject objectOrNull(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            JsonObject object = parser.getObject();
            return parser.hasNext() ? null : object;
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }

    /** A string member, or null when absent or not a string. */
    static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value != null && value.getValueType() == JsonValue.ValueType.STRING ? object.getString(name) : null;
    }
}
