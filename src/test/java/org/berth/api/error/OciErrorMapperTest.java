package org.berth.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class OciErrorMapperTest {

    @SuppressWarnings("unchecked")
    private static Map<Class<?>, OciErrorCode> codes() throws ReflectiveOperationException {
        Field field = OciErrorMapper.class.getDeclaredField("CODES");
        field.setAccessible(true);
        return (Map<Class<?>, OciErrorCode>) field.get(null);
    }

    @Test
    void administrationFailuresUseTheirStatuses() throws ReflectiveOperationException {
        Map<Class<?>, OciErrorCode> codes = codes();
        assertEquals(404, codes.get(RegistryException.NotFound.class).status());
        assertEquals(409, codes.get(RegistryException.Conflict.class).status());
        assertEquals(400, codes.get(RegistryException.InvalidRequest.class).status());
    }
}
