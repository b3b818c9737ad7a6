package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void labelsBeyondTheBudgetAreCutAndSaidToBe() {
        StringBuilder json = new StringBuilder("{\"os\":\"linux\",\"config\":{\"Labels\":{");
        for (int i = 0; i < 100; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"").append("v".repeat(1000)).append('"');
        }
        ImageConfig config = ImageConfig.parse(utf8(json.append("}}}").toString())).orElseThrow();
        assertTrue(config.labelsTruncated());
        int chars = config.labels().entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        assertTrue(chars <= ImageConfig.MAX_LABEL_CHARS && chars > ImageConfig.MAX_LABEL_CHARS - 1100, "kept " + chars);
        assertEquals("linux", config.os());
        assertFalse(ImageConfig.parse(utf8("{\"config\":{\"Labels\":{\"a\":\"b\"}}}")).orElseThrow().labelsTruncated());
    }

    @Test
    void aConfigAboveTheReadLimitIsNotRead() {
        String padding = "x".repeat(ImageConfig.MAX_BYTES);
        assertTrue(ImageConfig.parse(utf8("{\"os\":\"linux\",\"comment\":\"" + padding + "\"}")).isEmpty());
    }

    @Test
    void historyAndOtherFieldsAreSkippedWhereverTheyStand() {
        ImageConfig config = ImageConfig.parse(utf8("""
                {"history":[{"created_by":"RUN x","empty_layer":true},[1,[2]]],"rootfs":{"a":{"b":[{}]}},
                 "config":{"Env":["A=1"],"Healthcheck":{"Test":["CMD"]},"Labels":{"x":"y","n":{"deep":["z"]},"z":"w"},"User":"u"},
                 "os":"linux","architecture":"amd64","created":"2026-01-02T03:04:05Z"}""")).orElseThrow();
        assertEquals("linux", config.os());
        assertEquals("amd64", config.architecture());
        assertEquals("2026-01-02T03:04:05Z", config.created());
        assertEquals(Map.of("x", "y", "z", "w"), config.labels());
    }

    @Test
    void overlongFieldsAreLeftOut() {
        ImageConfig config = ImageConfig.parse(utf8("{\"os\":\"" + "l".repeat(ImageConfig.MAX_FIELD_CHARS + 1)
                + "\",\"architecture\":\"arm64\"}")).orElseThrow();
        assertNull(config.os());
        assertEquals("arm64", config.architecture());
    }

    @Test
    void aTruncatedDocumentGivesNothing() {
        assertTrue(ImageConfig.parse(utf8("{\"os\":\"linux\",\"config\":{\"Labels\":{\"a\":")).isEmpty());
    }
}
