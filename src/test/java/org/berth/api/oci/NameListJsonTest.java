package org.berth.api.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;

class NameListJsonTest {

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void tagsRoundTripThroughAJsonParser() {
        List<String> tags = List.of("latest", "v1.0", "a\"quote", "back\\slash", "tab\tand\u0001control", "ünï");
        JsonObject body = parse(NameListJson.tags("library/ubuntu", tags));
        assertEquals("library/ubuntu", body.getString("name"));
        assertEquals(tags, body.getJsonArray("tags").getValuesAs(JsonString::getString));
    }

    @Test
    void emptyListsAreEmptyArrays() {
        assertEquals("{\"name\":\"a/b\",\"tags\":[]}", NameListJson.tags("a/b", List.of()));
        assertEquals("{\"repositories\":[]}", NameListJson.repositories(List.of()));
    }

    @Test
    void repositoriesKeepTheirOrder() {
        List<String> names = List.of("library/a", "library/b", "team-x/c");
        assertEquals(names, parse(NameListJson.repositories(names)).getJsonArray("repositories").getValuesAs(JsonString::getString));
    }
}
