package org.berth.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

/** Keeps the error catalogue complete and consistent (STYLE habit 4: each code once, with its status). */
class OciErrorCodeTest {

    @SuppressWarnings("unchecked")
    private static Map<Class<? extends RegistryException>, OciErrorCode> mapperCodes() throws ReflectiveOperationException {
        Field field = OciErrorMapper.class.getDeclaredField("CODES");
        assertTrue(Modifier.isStatic(field.getModifiers()));
        field.setAccessible(true);
        return (Map<Class<? extends RegistryException>, OciErrorCode>) field.get(null);
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        List<String> names = Arrays.stream(OciErrorCode.values()).map(c -> c.name().toLowerCase()).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), names.toString());
    }

    @Test
    void namesAreWireFormat() {
        for (OciErrorCode code : OciErrorCode.values()) {
            assertTrue(code.name().matches("[A-Z][A-Z_]*[A-Z]"), code.name());
        }
    }

    @Test
    void everyStatusIsAnErrorStatus() {
        for (OciErrorCode code : OciErrorCode.values()) {
            assertTrue(code.status() >= 400 && code.status() <= 599, code + " has status " + code.status());
        }
    }

    @Test
    void everyCodeHasAMessage() {
        for (OciErrorCode code : OciErrorCode.values()) {
            assertNotNull(code.message(), code.name());
            assertFalse(code.message().isBlank(), code.name());
        }
    }

    @Test
    void everyCodeOfTheDistributionSpecIsInTheCatalogue() {
        // OCI distribution-spec, "Error Codes" table (code-1 .. code-14).
        Set<String> spec = Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID",
                "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN",
                "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");
        Set<String> catalogue = Arrays.stream(OciErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
        assertTrue(catalogue.containsAll(spec), "missing: " + spec.stream().filter(s -> !catalogue.contains(s)).toList());
    }

    @Test
    void statusesWhoseMeaningHttpFixes() {
        assertEquals(401, OciErrorCode.UNAUTHORIZED.status());
        assertEquals(403, OciErrorCode.DENIED.status());
        assertEquals(416, OciErrorCode.RANGE_INVALID.status());
        assertEquals(429, OciErrorCode.TOOMANYREQUESTS.status());
        for (OciErrorCode code : OciErrorCode.values()) {
            if (code.name().endsWith("_UNKNOWN") && code != OciErrorCode.UNKNOWN) {
                assertEquals(404, code.status(), code.name());
            }
        }
    }

    @Test
    void everyDomainFailureHasACode() throws ReflectiveOperationException {
        Map<Class<? extends RegistryException>, OciErrorCode> codes = mapperCodes();
        Class<?>[] permitted = RegistryException.class.getPermittedSubclasses();
        assertNotNull(permitted, "RegistryException is sealed");
        assertTrue(permitted.length > 10, "found " + permitted.length + " subclasses");
        List<String> unmapped = Arrays.stream(permitted).filter(c -> !codes.containsKey(c)).map(Class::getSimpleName).toList();
        assertEquals(List.of(), unmapped, "RegistryException subclasses without an entry in OciErrorMapper.CODES");
    }

    @Test
    void mapperMapsOnlyPermittedSubclassesToRealCodes() throws ReflectiveOperationException {
        Set<Class<?>> permitted = Set.of(RegistryException.class.getPermittedSubclasses());
        mapperCodes().forEach((type, code) -> {
            assertTrue(permitted.contains(type), type + " is a permitted subclass");
            assertNotNull(code, type.getSimpleName());
        });
    }

    @Test
    void domainFailuresAreMappedToTheCodeTheyAreNamedAfter() throws ReflectiveOperationException {
        // BlobUploadUnknown -> BLOB_UPLOAD_UNKNOWN, and so on; TagInvalid is the one deliberate exception
        // (the distribution spec has no TAG_INVALID; an invalid tag makes the manifest PUT invalid).
        mapperCodes().forEach((type, code) -> {
            if (type == RegistryException.TagInvalid.class) {
                assertEquals(OciErrorCode.MANIFEST_INVALID, code);
                return;
            }
            String expected = type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
            if (type == RegistryException.PaginationInvalid.class) {
                expected = "PAGINATION_NUMBER_INVALID"; // the spec's name
            }
            if (type == RegistryException.TooManyRequests.class) {
                expected = "TOOMANYREQUESTS"; // the spec spells it as one word
            }
            assertEquals(expected, code.name(), type.getSimpleName());
        });
    }
}
