package org.berth.api.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;

import org.berth.domain.Action;
import org.berth.domain.RegistryException;
import org.berth.domain.Role;
import org.junit.jupiter.api.Test;

class JsonRequestTest {

    @Test
    void readsFieldsOfTheRightType() {
        JsonRequest json = JsonRequest.parse("{\"name\":\"ci\",\"public\":true,\"password\":\"p4ss\",\"none\":null}");
        assertEquals("ci", json.requiredString("name"));
        assertEquals(Optional.of(true), json.bool("public"));
        assertArrayEquals("p4ss".toCharArray(), json.requiredPassword("password"));
        assertTrue(json.string("none").isEmpty());
        assertTrue(json.bool("missing").isEmpty());
    }

    @Test
    void refusesBodiesThatAreNotJsonObjects() {
        for (String body : new String[] {null, "", "  ", "[1]", "\"x\"", "{", "not json", "{\"a\":1} trailing"}) {
            assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse(body), String.valueOf(body));
        }
    }

    @Test
    void wrongTypesAndMissingFieldsNameTheField() {
        JsonRequest json = JsonRequest.parse("{\"name\":1,\"public\":\"yes\"}");
        RegistryException e = assertThrows(RegistryException.InvalidRequest.class, () -> json.requiredString("name"));
        assertTrue(e.getMessage().contains("'name'"));
        assertThrows(RegistryException.InvalidRequest.class, () -> json.bool("public"));
        assertThrows(RegistryException.InvalidRequest.class, () -> json.requiredString("username"));
        assertThrows(RegistryException.InvalidRequest.class, () -> json.requiredBool("disabled"));
    }

    @Test
    void actionsAreAStrictList() {
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), JsonRequest.parse("{\"a\":[\"push\",\"pull\"]}").actions("a"));
        assertEquals(EnumSet.noneOf(Action.class), JsonRequest.parse("{\"a\":[]}").actions("a"));
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"a\":[\"pull\",\"admin\"]}").actions("a"));
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"a\":\"pull,push\"}").actions("a"));
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"a\":[1]}").actions("a"));
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{}").actions("a"));
    }

    @Test
    void rolesByTheirJsonNames() {
        assertEquals(Role.PROJECT_ADMIN, JsonRequest.parse("{\"role\":\"project_admin\"}").role("role"));
        assertEquals(Role.GUEST, JsonRequest.parse("{\"role\":\"guest\"}").role("role"));
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"role\":\"owner\"}").role("role"));
    }

    @Test
    void instantsInIso8601() {
        assertEquals(Instant.parse("2026-12-31T00:00:00Z"),
                JsonRequest.parse("{\"t\":\"2026-12-31T00:00:00Z\"}").instant("t").orElseThrow());
        assertEquals(Instant.parse("2026-12-30T23:00:00Z"),
                JsonRequest.parse("{\"t\":\"2026-12-31T00:00:00+01:00\"}").instant("t").orElseThrow());
        assertFalse(JsonRequest.parse("{}").instant("t").isPresent());
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"t\":\"tomorrow\"}").instant("t"));
    }

    @Test
    void aBodyNestedAThousandLevelsIsAnInvalidRequest() {
        String deep = "{\"name\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        RegistryException e = assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse(deep));
        assertTrue(e.getMessage().contains("deeper than " + JsonRequest.MAX_DEPTH), e.getMessage());
        String atLimit = "{\"a\":" + "[".repeat(JsonRequest.MAX_DEPTH - 1) + "]".repeat(JsonRequest.MAX_DEPTH - 1) + "}";
        JsonRequest.parse(atLimit);
    }

    @Test
    void aStringLongerThanTheLimitIsAnInvalidRequest() {
        String name = "n".repeat(JsonRequest.MAX_STRING + 1);
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"name\":\"" + name + "\"}"));
    }

    @Test
    void aChangeTellsAbsentFromRemoved() {
        JsonRequest json = JsonRequest.parse("{\"a\":null,\"b\":\"\",\"c\":\"x\"}");
        assertEquals(Optional.of(""), json.change("a"));
        assertEquals(Optional.of(""), json.change("b"));
        assertEquals(Optional.of("x"), json.change("c"));
        assertEquals(Optional.empty(), json.change("d"));
        assertThrows(RegistryException.InvalidRequest.class, () -> JsonRequest.parse("{\"a\":1}").change("a"));
    }
}
