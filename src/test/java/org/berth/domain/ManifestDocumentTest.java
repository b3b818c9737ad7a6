package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestDocumentTest {

    static final Digest CONFIG = Digest.sha256(bytes("config"));
    static final Digest LAYER = Digest.sha256(bytes("layer"));
    static final Digest CHILD = Digest.sha256(bytes("child"));
    static final Digest EMPTY = Digest.sha256(bytes("{}"));
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ManifestDocument parse(String json, String contentType) {
        return ManifestDocument.parse(bytes(json), contentType);
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return """
                {"mediaType":"%s","digest":"%s","size":%d}""".formatted(mediaType, digest, size);
    }

    private static String ociManifest() {
        return """
                {
                  "schemaVersion": 2,
                  "mediaType": "%s",
                  "config": %s,
                  "layers": [ %s ],
                  "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z", "team": "a"}
                }""".formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 7), descriptor(OCI_LAYER, LAYER, 32));
    }

    private static ManifestInvalidAssert invalid(String json, String contentType) {
        var e = assertThrows(RegistryException.ManifestInvalid.class, () -> parse(json, contentType));
        return new ManifestInvalidAssert(e.getMessage());
    }

    private record ManifestInvalidAssert(String message) {
        void mentions(String... words) {
            for (String word : words) {
                assertTrue(message.contains(word), "message \"" + message + "\" should mention " + word);
            }
        }
    }

    // ------------------------------------------------------------------ accepted shapes

    @Test
    void ociImageManifest() {
        ManifestDocument m = parse(ociManifest(), MediaTypes.OCI_MANIFEST);
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertFalse(m.isIndex());
        assertEquals(new Descriptor(OCI_CONFIG, CONFIG, 7, null), m.config());
        assertEquals(List.of(new Descriptor(OCI_LAYER, LAYER, 32, null)), m.layers());
        assertEquals(List.of(), m.manifests());
        assertNull(m.subject());
        assertNull(m.artifactType());
        assertEquals(Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z", "team", "a"), m.annotations());
        assertEquals(OCI_CONFIG, m.effectiveArtifactType());
    }

    @Test
    void dockerSchema2Manifest() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s,%s]}"""
                .formatted(MediaTypes.DOCKER_MANIFEST, descriptor(DOCKER_CONFIG, CONFIG, 1470),
                        descriptor(DOCKER_LAYER, LAYER, 977), descriptor(DOCKER_LAYER, CHILD, 12));
        ManifestDocument m = parse(json, MediaTypes.DOCKER_MANIFEST);
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertFalse(m.isIndex());
        assertEquals(CONFIG, m.config().digest());
        assertEquals(List.of(LAYER, CHILD), m.layers().stream().map(Descriptor::digest).toList());
        assertEquals(Map.of(), m.annotations());
    }

    @Test
    void ociIndex() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[
                  {"mediaType":"%s","digest":"%s","size":500,"platform":{"architecture":"amd64","os":"linux"}},
                  {"mediaType":"%s","digest":"%s","size":600,"artifactType":"application/vnd.example.sig"}
                ],"annotations":{"k":"v"}}"""
                .formatted(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, CHILD, MediaTypes.OCI_MANIFEST, LAYER);
        ManifestDocument m = parse(json, MediaTypes.OCI_INDEX);
        assertTrue(m.isIndex());
        assertNull(m.config());
        assertEquals(List.of(), m.layers());
        assertEquals(List.of(new Descriptor(MediaTypes.OCI_MANIFEST, CHILD, 500, null),
                new Descriptor(MediaTypes.OCI_MANIFEST, LAYER, 600, "application/vnd.example.sig")), m.manifests());
        assertEquals(Map.of("k", "v"), m.annotations());
        assertNull(m.effectiveArtifactType(), "an index without artifactType has no config to fall back on");
    }

    @Test
    void dockerManifestList() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[%s]}"""
                .formatted(MediaTypes.DOCKER_MANIFEST_LIST, descriptor(MediaTypes.DOCKER_MANIFEST, CHILD, 528));
        ManifestDocument m = parse(json, MediaTypes.DOCKER_MANIFEST_LIST);
        assertTrue(m.isIndex());
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, m.mediaType());
        assertEquals(CHILD, m.manifests().get(0).digest());
    }

    @Test
    void artifactWithArtifactTypeEmptyConfigAndSubject() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.example.sbom.v1",
                 "config":%s,"layers":[%s],
                 "subject":{"mediaType":"%s","digest":"%s","size":1234}}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(MediaTypes.OCI_EMPTY, EMPTY, 2),
                        descriptor("application/spdx+json", LAYER, 99), MediaTypes.OCI_MANIFEST, CHILD);
        ManifestDocument m = parse(json, MediaTypes.OCI_MANIFEST);
        assertEquals("application/vnd.example.sbom.v1", m.artifactType());
        assertEquals("application/vnd.example.sbom.v1", m.effectiveArtifactType());
        assertEquals(new Descriptor(MediaTypes.OCI_EMPTY, EMPTY, 2, null), m.config());
        assertEquals(new Descriptor(MediaTypes.OCI_MANIFEST, CHILD, 1234, null), m.subject());
    }

    @Test
    void effectiveArtifactTypeFallsBackToConfigMediaType() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[]}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor("application/vnd.example.signature.config", CONFIG, 3));
        ManifestDocument m = parse(json, MediaTypes.OCI_MANIFEST);
        assertNull(m.artifactType());
        assertEquals("application/vnd.example.signature.config", m.effectiveArtifactType());
        assertEquals(List.of(), m.layers());
    }

    @Test
    void indexWithSubjectAndArtifactType() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.example.bundle",
                 "manifests":[],"subject":%s}"""
                .formatted(MediaTypes.OCI_INDEX, descriptor(MediaTypes.OCI_MANIFEST, CHILD, 10));
        ManifestDocument m = parse(json, null);
        assertTrue(m.isIndex());
        assertEquals(CHILD, m.subject().digest());
        assertEquals("application/vnd.example.bundle", m.effectiveArtifactType());
    }

    // ------------------------------------------------------------------ media type resolution

    @Test
    void missingMediaTypeIsTakenFromContentType() {
        String json = """
                {"schemaVersion":2,"config":%s,"layers":[%s]}"""
                .formatted(descriptor(DOCKER_CONFIG, CONFIG, 1), descriptor(DOCKER_LAYER, LAYER, 2));
        assertEquals(MediaTypes.DOCKER_MANIFEST, parse(json, MediaTypes.DOCKER_MANIFEST).mediaType());
        assertEquals(MediaTypes.DOCKER_MANIFEST,
                parse(json, MediaTypes.DOCKER_MANIFEST.toUpperCase() + " ; charset=utf-8").mediaType());
    }

    @Test
    void missingMediaTypeIsInferredFromShape() {
        String image = """
                {"schemaVersion":2,"config":%s,"layers":[]}""".formatted(descriptor(OCI_CONFIG, CONFIG, 1));
        String index = """
                {"schemaVersion":2,"manifests":[%s]}""".formatted(descriptor(MediaTypes.OCI_MANIFEST, CHILD, 1));
        for (String generic : new String[] {null, "", "application/json", "application/octet-stream"}) {
            assertEquals(MediaTypes.OCI_MANIFEST, parse(image, generic).mediaType(), "Content-Type " + generic);
            assertEquals(MediaTypes.OCI_INDEX, parse(index, generic).mediaType(), "Content-Type " + generic);
        }
    }

    @Test
    void contentTypeParametersAreIgnored() {
        ManifestDocument m = parse(ociManifest(), MediaTypes.OCI_MANIFEST + "; charset=utf-8");
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    }

    @Test
    void genericContentTypeDefersToDeclaredMediaType() {
        assertEquals(MediaTypes.OCI_MANIFEST, parse(ociManifest(), "application/json").mediaType());
        assertEquals(MediaTypes.OCI_MANIFEST, parse(ociManifest(), null).mediaType());
    }

    @Test
    void contentTypeThatContradictsMediaTypeIsRefused() {
        invalid(ociManifest(), MediaTypes.DOCKER_MANIFEST).mentions(MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST);
        invalid(ociManifest(), MediaTypes.OCI_INDEX).mentions("does not match");
    }

    @Test
    void unsupportedMediaTypeIsRefused() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.example.thing","config":%s}"""
                .formatted(descriptor(OCI_CONFIG, CONFIG, 1));
        invalid(json, null).mentions("unsupported manifest media type", "application/vnd.example.thing");
        String untyped = """
                {"schemaVersion":2,"config":%s}""".formatted(descriptor(OCI_CONFIG, CONFIG, 1));
        invalid(untyped, "text/plain").mentions("unsupported manifest media type");
    }

    // ------------------------------------------------------------------ refused documents

    @Test
    void schema1IsRefusedWithAClearMessage() {
        String v1 = """
                {"schemaVersion":1,"name":"library/x","tag":"latest","architecture":"amd64",
                 "fsLayers":[{"blobSum":"%s"}],"history":[],"signatures":[]}""".formatted(LAYER);
        invalid(v1, null).mentions("schema 1 is not supported");
        invalid(v1, MediaTypes.DOCKER_SCHEMA1_SIGNED).mentions("schema 1");
        // Declared or sent as schema 1 even with schemaVersion 2: still schema 1.
        invalid(ociManifest(), MediaTypes.DOCKER_SCHEMA1).mentions("schema 1");
        String declared = """
                {"schemaVersion":2,"mediaType":"%s","config":%s}"""
                .formatted(MediaTypes.DOCKER_SCHEMA1_SIGNED, descriptor(OCI_CONFIG, CONFIG, 1));
        invalid(declared, null).mentions("schema 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"schemaVersion\":3,\"config\":{}}", "{\"config\":{}}",
            "{\"schemaVersion\":\"2\",\"config\":{}}", "{\"schemaVersion\":2.5,\"config\":{}}",
            "{\"schemaVersion\":null,\"config\":{}}"})
    void schemaVersionMustBeTheInteger2(String json) {
        invalid(json, null).mentions("schemaVersion");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"schemaVersion\":2,", "not json", "{'schemaVersion':2}", "\u0000"})
    void invalidJsonIsRefused(String json) {
        invalid(json, null).mentions("not valid JSON");
    }

    @Test
    void trailingContentAfterTheObjectIsRefused() {
        assertThrows(RegistryException.ManifestInvalid.class, () -> parse(ociManifest() + " {}", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"schemaVersion\":2}]", "\"manifest\"", "42", "null", "true"})
    void nonObjectIsRefused(String json) {
        invalid(json, null).mentions("must be a JSON object");
    }

    @Test
    void imageWithoutConfigIsRefused() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","layers":[%s]}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_LAYER, LAYER, 1));
        invalid(json, null).mentions("no config");
        String nullConfig = """
                {"schemaVersion":2,"mediaType":"%s","config":null,"layers":[]}""".formatted(MediaTypes.OCI_MANIFEST);
        invalid(nullConfig, null).mentions("config");
    }

    @Test
    void dockerManifestNeedsLayersButOciArtifactMayOmitThem() {
        String docker = """
                {"schemaVersion":2,"mediaType":"%s","config":%s}"""
                .formatted(MediaTypes.DOCKER_MANIFEST, descriptor(DOCKER_CONFIG, CONFIG, 1));
        invalid(docker, null).mentions("layers");
        String oci = """
                {"schemaVersion":2,"mediaType":"%s","config":%s}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 1));
        assertEquals(List.of(), parse(oci, null).layers());
    }

    @Test
    void indexWithoutManifestsIsRefused() {
        invalid("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"}", null).mentions("manifests");
        invalid("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":{}}", null)
                .mentions("manifests must be an array");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"mediaType\":\"m\",\"digest\":\"sha256:abc\",\"size\":1}",
            "{\"mediaType\":\"m\",\"digest\":\"sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD\",\"size\":1}",
            "{\"mediaType\":\"m\",\"digest\":\"md5:d41d8cd98f00b204e9800998ecf8427e\",\"size\":1}",
            "{\"mediaType\":\"m\",\"size\":1}",
            "{\"digest\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"size\":1}",
            "{\"mediaType\":\"m\",\"digest\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}",
            "{\"mediaType\":\"m\",\"digest\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"size\":-1}",
            "{\"mediaType\":\"m\",\"digest\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"size\":1.5}",
            "{\"mediaType\":\"m\",\"digest\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"size\":\"1\"}",
            "{\"mediaType\":\"m\",\"digest\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"size\":null}",
            "\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""})
    void badConfigDescriptorIsRefusedNamingWhere(String config) {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[]}""".formatted(MediaTypes.OCI_MANIFEST, config);
        invalid(json, null).mentions("config");
    }

    @Test
    void badLayerAndSubjectDescriptorsAreRefused() {
        String layer = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[{"mediaType":"%s","digest":"sha256:0","size":1}]}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 1), OCI_LAYER);
        invalid(layer, null).mentions("layers", "sha256:0");
        String subject = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"subject":{"mediaType":"%s","size":1}}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 1), MediaTypes.OCI_MANIFEST);
        invalid(subject, null).mentions("subject");
        String layersNotArray = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":%s}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 1), descriptor(OCI_LAYER, LAYER, 1));
        invalid(layersNotArray, null).mentions("layers must be an array");
        String digestNotString = """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":7,"size":1}}"""
                .formatted(MediaTypes.OCI_MANIFEST, OCI_CONFIG);
        invalid(digestNotString, null).mentions("digest");
    }

    @Test
    void descriptorSizeBeyondInt64IsRefused() {
        // OCI image-spec descriptor.md: size is an int64. 2^64 must not be read as some other number.
        for (String size : new String[] {"18446744073709551616", "9223372036854775808", "1e30"}) {
            String json = """
                    {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"%s","size":%s},"layers":[]}"""
                    .formatted(MediaTypes.OCI_MANIFEST, OCI_CONFIG, CONFIG, size);
            assertThrows(RegistryException.ManifestInvalid.class, () -> parse(json, null), "size " + size);
        }
    }

    @Test
    void largestInt64SizeIsAccepted() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[]}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, parse(json, null).config().size());
    }

    @Test
    void nonStringTopLevelFieldsAreRefused() {
        invalid("{\"schemaVersion\":2,\"mediaType\":5,\"config\":" + descriptor(OCI_CONFIG, CONFIG, 1) + "}", null)
                .mentions("mediaType must be a string");
        String artifactType = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":{},"config":%s}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 1));
        invalid(artifactType, null).mentions("artifactType must be a string");
    }

    // ------------------------------------------------------------------ tolerance

    @Test
    void unknownFieldsAndNullValuesAreIgnored() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":null,"subject":null,"annotations":null,
                 "x-vendor":{"nested":[1,2,{"a":null}]},"anotherOne":true,
                 "config":{"mediaType":"%s","digest":"%s","size":5,"urls":null,"data":null,"artifactType":null,
                           "platform":{"os":"linux"},"x-extra":"yes"},
                 "layers":[{"mediaType":"%s","digest":"%s","size":6,"annotations":{"a":"b"},"urls":["https://x"]}]}"""
                .formatted(MediaTypes.OCI_MANIFEST, OCI_CONFIG, CONFIG, OCI_LAYER, LAYER);
        ManifestDocument m = parse(json, MediaTypes.OCI_MANIFEST);
        assertNull(m.artifactType());
        assertNull(m.subject());
        assertEquals(Map.of(), m.annotations());
        assertEquals(new Descriptor(OCI_CONFIG, CONFIG, 5, null), m.config());
        assertEquals(List.of(new Descriptor(OCI_LAYER, LAYER, 6, null)), m.layers());
    }

    @Test
    void nullLayersOnAnOciManifestMeanNone() {
        String json = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":null}"""
                .formatted(MediaTypes.OCI_MANIFEST, descriptor(OCI_CONFIG, CONFIG, 1));
        assertEquals(List.of(), parse(json, null).layers());
    }

    // ------------------------------------------------------------------ size limit

    @Test
    void overFourMebibytesIsSizeInvalid() {
        byte[] tooBig = new byte[ManifestDocument.MAX_BYTES + 1];
        Arrays.fill(tooBig, (byte) ' ');
        assertThrows(RegistryException.SizeInvalid.class, () -> ManifestDocument.parse(tooBig, MediaTypes.OCI_MANIFEST));
    }

    @Test
    void exactlyFourMebibytesIsAccepted() {
        byte[] manifest = bytes(ociManifest());
        byte[] padded = Arrays.copyOf(manifest, ManifestDocument.MAX_BYTES);
        Arrays.fill(padded, manifest.length, padded.length, (byte) ' '); // trailing JSON whitespace
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestDocument.parse(padded, MediaTypes.OCI_MANIFEST).mediaType());
    }

    @Test
    void baseTypeStripsParametersAndCase() {
        assertEquals("application/vnd.oci.image.index.v1+json",
                ManifestDocument.baseType(" Application/VND.OCI.IMAGE.INDEX.V1+JSON ; charset=utf-8"));
        assertNull(ManifestDocument.baseType(null));
        assertNull(ManifestDocument.baseType("  "));
    }

    @Test
    void aManifestNestedAThousandLevelsIsInvalidNotAStackOverflow() {
        String deep = "{\"schemaVersion\":2,\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        RegistryException e = assertThrows(RegistryException.ManifestInvalid.class, () -> parse(deep, null));
        assertTrue(e.getMessage().contains("deeper than " + ManifestDocument.MAX_DEPTH), e.getMessage());
    }

    @Test
    void aMediaTypeLongerThan255CharactersIsInvalidAndNotEchoed() {
        String longType = "application/vnd." + "x".repeat(5000) + "+json";
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[]}""".formatted(longType,
                descriptor(OCI_CONFIG, CONFIG, 6));
        RegistryException e = assertThrows(RegistryException.ManifestInvalid.class, () -> parse(manifest, null));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        String longConfig = """
                {"schemaVersion":2,"config":%s,"layers":[]}""".formatted(descriptor(longType, CONFIG, 6));
        assertThrows(RegistryException.ManifestInvalid.class, () -> parse(longConfig, null));
        String atLimit = "application/" + "y".repeat(ManifestDocument.MAX_MEDIA_TYPE - "application/".length());
        String fine = """
                {"schemaVersion":2,"config":%s,"layers":[]}""".formatted(descriptor(atLimit, CONFIG, 6));
        assertEquals(atLimit, parse(fine, null).config().mediaType());
    }

    @Test
    void aHundredThousandDigitSizeIsInvalidNotA500() {
        String manifest = """
                {"schemaVersion":2,"config":{"mediaType":"%s","digest":"%s","size":%s},"layers":[]}"""
                .formatted(OCI_CONFIG, CONFIG, "9".repeat(100_000));
        assertThrows(RegistryException.ManifestInvalid.class, () -> parse(manifest, null));
    }
}
