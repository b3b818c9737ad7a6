package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

import org.junit.jupiter.api.Test;

class BoundedJsonTest {

    private static final BoundedJson LIMITS = new BoundedJson(4, 10, RegistryException.InvalidRequest::new);

    private static JsonObject read(String text) {
        try (JsonParser parser = JsonProvider.provider().createParser(new StringReader(text))) {
            assertEquals(JsonParser.Event.START_OBJECT, parser.next());
            return LIMITS.readObject(parser);
        }
    }

    @Test
    void buildsTheSameObjectAsTheParser() {
        String text = "{\"a\":[1,2.5,true,false,null,\"s\",{\"b\":[]}],\"c\":{},\"d\":-7}";
        JsonObject expected = JsonProvider.provider().createReader(new StringReader(text)).readObject();
        assertEquals(expected, read(text));
    }

    @Test
    void aDuplicateKeyKeepsTheLastValueAsTheParserDoes() {
        assertEquals(2, read("{\"a\":1,\"a\":2}").getInt("a"));
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        assertEquals(1, read("{\"a\":[[{\"b\":1}]]}").size());
    }

    @Test
    void nestingPastTheLimitIsRefusedBeforeItIsBuilt() {
        RegistryException e = assertThrows(RegistryException.InvalidRequest.class, () -> read("{\"a\":[[[[1]]]]}"));
        assertTrue(e.getMessage().contains("deeper than 4"), e.getMessage());
        String thousand = "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        assertThrows(RegistryException.InvalidRequest.class, () -> read(thousand));
    }

    @Test
    void longStringsAndKeysAreRefusedWithoutBeingEchoed() {
        String longText = "x".repeat(11);
        RegistryException value = assertThrows(RegistryException.InvalidRequest.class, () -> read("{\"a\":\"" + longText + "\"}"));
        assertTrue(!value.getMessage().contains(longText), value.getMessage());
        assertThrows(RegistryException.InvalidRequest.class, () -> read("{\"" + longText + "\":1}"));
        assertEquals("xxxxxxxxxx", read("{\"a\":\"xxxxxxxxxx\"}").getString("a"));
    }

    @Test
    void aHundredThousandDigitNumberIsRefusedNotA500() {
        String digits = "9".repeat(100_000);
        RegistryException e = assertThrows(RegistryException.InvalidRequest.class, () -> read("{\"n\":" + digits + "}"));
        assertTrue(e.getMessage().contains("number longer than"), e.getMessage());
        assertEquals(Long.MAX_VALUE, read("{\"n\":" + Long.MAX_VALUE + "}").getJsonNumber("n").longValueExact());
    }
}
