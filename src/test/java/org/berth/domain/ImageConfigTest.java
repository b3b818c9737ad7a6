package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ImageConfigTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsPlatformCreatedAndLabelsOfAnOciOrDockerConfig() {
        ImageConfig config = ImageConfig.parse(utf8("""
                {"architecture":"arm64","variant":"v8","os":"linux","created":"2026-01-02T03:04:05.123456789Z",
                 "config":{"Env":["PATH=/bin"],"Labels":{"org.opencontainers.image.source":"https://x","n":"1"}},
                 "rootfs":{"type":"layers","diff_ids":[]}}""")).orElseThrow();
        assertEquals("linux", config.os());
        assertEquals("arm64", config.architecture());
        assertEquals("v8", config.variant());
        assertEquals("2026-01-02T03:04:05.123456789Z", config.created());
        assertEquals(Map.of("org.opencontainers.image.source", "https://x", "n", "1"), config.labels());
    }

    @Test
    void missingFieldsAndNullLabelsGiveNullsAndNoLabels() {
        ImageConfig config = ImageConfig.parse(utf8("{\"os\":\"windows\",\"config\":{\"Labels\":null}}")).orElseThrow();
        assertEquals("windows", config.os());
        assertNull(config.architecture());
        assertNull(config.created());
        assertTrue(config.labels().isEmpty());
    }

    @Test
    void labelsThatAreNotStringsAreLeftOut() {
        ImageConfig config = ImageConfig.parse(utf8("{\"config\":{\"Labels\":{\"a\":\"b\",\"c\":1,\"d\":{}}}}")).orElseThrow();
        assertEquals(Map.of("a", "b"), config.labels());
    }

    @Test
    void anArtifactsEmptyConfigHasNoValues() {
        ImageConfig config = ImageConfig.parse(utf8("{}")).orElseThrow();
        assertNull(config.os());
        assertTrue(config.labels().isEmpty());
    }

    @Test
    void bytesThatAreNotAJsonObjectGiveNothing() {
        assertTrue(ImageConfig.parse(utf8("not json")).isEmpty());
        assertTrue(ImageConfig.parse(utf8("[1,2]")).isEmpty());
        assertTrue(ImageConfig.parse(new byte[0]).isEmpty());
        assertTrue(ImageConfig.parse(null).isEmpty());
    }

    @Test
    void fieldsOfTheWrongTypeAreIgnored() {
        ImageConfig config = ImageConfig.parse(utf8("{\"os\":7,\"architecture\":[\"amd64\"],\"config\":\"x\"}")).orElseThrow();
        assertNull(config.os());
        assertNull(config.architecture());
        assertTrue(config.labels().isEmpty());
    }
}
