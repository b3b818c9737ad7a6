package org.berth.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The fixtures of the OCI conformance suite (setup.go and image.go of distribution-spec v1.1.x),
 * rebuilt in Java with the same shapes: JSON field order, {@code data} and unknown
 * {@code newUnspecifiedField} members, {@code null} values, tab indentation.
 * A fresh instance has fresh random config authors, so its digests are unique to the instance.
 */
public final class ConformanceData {

    public static final String MANIFEST_MEDIA_TYPE = RegistryClient.OCI_MANIFEST;
    public static final String INDEX_MEDIA_TYPE = RegistryClient.OCI_INDEX;
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String EMPTY_JSON_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
    public static final String EMPTY_JSON_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    public static final String TEST_TAG_NAME = "tagtest0";
    public static final String EMPTY_LAYER_TEST_TAG = "emptylayer";
    public static final String NONEXISTENT_MANIFEST = ".INVALID_MANIFEST_NAME";
    public static final byte[] INVALID_MANIFEST_CONTENT = "blablabla".getBytes(StandardCharsets.UTF_8);

    public static final String ARTIFACT_TYPE_A = "application/vnd.nhl.peanut.butter.bagel";
    public static final String ARTIFACT_TYPE_B = "application/vnd.nba.strawberry.jam.croissant";
    public static final String ARTIFACT_TYPE_INDEX = "application/vnd.food.stand";
    public static final String ANNOTATION_KEY = "org.opencontainers.conformance.test";
    public static final String ARTIFACT_TYPE_FILTER = "artifactType";

    /** The error codes the suite accepts in an error body. */
    public static final List<String> ERROR_CODES = List.of(
            "BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID",
            "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "MANIFEST_UNVERIFIED",
            "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "TAG_INVALID", "UNAUTHORIZED", "DENIED",
            "UNSUPPORTED");

    /** Some content and its digest. */
    public static final class Blob {
        private final byte[] content;
        private final String digest;

        public Blob(byte[] content) {
            this.content = content;
            this.digest = RegistryClient.sha256(content);
        }

        public byte[] content() {
            return content.clone();
        }

        public String digest() {
            return digest;
        }

        public int length() {
            return content.length;
        }

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** Number of per-workflow configs and manifests the suite uses (indices 0..4). */
    public static final int WORKFLOW_FIXTURES = 5;

    public final List<Blob> configs = new ArrayList<>();
    public final Blob layer;
    public final List<Blob> manifests = new ArrayList<>();
    public final Blob emptyLayerManifest;

    public final Blob testBlobA;
    public Blob testBlobB;
    public byte[] testBlobBChunk1;
    public byte[] testBlobBChunk2;
    public String testBlobBChunk1Range;
    public String testBlobBChunk2Range;

    public final Blob emptyJson;
    public final Blob testRefBlobA;
    public final Blob testRefBlobB;
    public final Blob refsManifestAConfigArtifact;
    public final Blob refsManifestALayerArtifact;
    public final Blob refsManifestBConfigArtifact;
    public final Blob refsManifestBLayerArtifact;
    public final Blob refsManifestCLayerArtifact;
    public final Blob refsIndexArtifact;
    /** Annotation value of each referrer (by digest) that has one. */
    public final Map<String, String> annotationValues = new HashMap<>();

    /** Digest of "hello world": never pushed. */
    public final String dummyDigest = RegistryClient.sha256("hello world");

    private final long seed;

    public ConformanceData() {
        this(new SecureRandom().nextLong());
    }

    public ConformanceData(long seed) {
        this.seed = seed;
        for (int i = 0; i < WORKFLOW_FIXTURES; i++) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("author", randomString(16));
            config.put("architecture", "amd64");
            config.put("os", "linux");
            Map<String, Object> rootfs = new LinkedHashMap<>();
            rootfs.put("type", "layers");
            rootfs.put("diff_ids", List.of());
            config.put("rootfs", rootfs);
            configs.add(new Blob(Json.writeIndented(config)));
        }

        layer = new Blob(tarGz("test.txt", "you bothered to find out what was in here. Congratulations!\n"));

        for (int i = 0; i < WORKFLOW_FIXTURES; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schemaVersion", 2);
            m.put("mediaType", MANIFEST_MEDIA_TYPE);
            m.put("config", configDescriptor(configs.get(i)));
            m.put("layers", List.of(descriptor(LAYER_MEDIA_TYPE, layer)));
            manifests.add(new Blob(Json.writeIndented(m)));
        }

        // Used by the push workflow: no top-level mediaType, and an empty layer list.
        Map<String, Object> emptyLayer = new LinkedHashMap<>();
        emptyLayer.put("schemaVersion", 2);
        emptyLayer.put("config", configDescriptor(configs.get(1)));
        emptyLayer.put("layers", List.of());
        emptyLayerManifest = new Blob(Json.writeIndented(emptyLayer));

        testBlobA = new Blob(randomBytes(42, seed + 1));
        setupChunkedBlob(42);

        emptyJson = new Blob("{}".getBytes(StandardCharsets.UTF_8));
        testRefBlobA = new Blob("NHL Peanut Butter on my NHL bagel".getBytes(StandardCharsets.UTF_8));
        testRefBlobB = new Blob("NBA Strawberry Jam on my NBA croissant".getBytes(StandardCharsets.UTF_8));

        Blob subject4 = manifests.get(4);
        Blob subject3 = manifests.get(3);

        refsManifestAConfigArtifact = artifact(null, descriptor(ARTIFACT_TYPE_A, testRefBlobA),
                descriptor(EMPTY_JSON_MEDIA_TYPE, emptyJson), subject4, "test config a");
        refsManifestBConfigArtifact = artifact(null, descriptor(ARTIFACT_TYPE_B, testRefBlobB),
                descriptor(EMPTY_JSON_MEDIA_TYPE, emptyJson), subject4, "test config b");
        refsManifestALayerArtifact = artifact(ARTIFACT_TYPE_A, descriptor(EMPTY_JSON_MEDIA_TYPE, emptyJson),
                descriptor(ARTIFACT_TYPE_A, testRefBlobA), subject4, "test layer a");
        refsManifestBLayerArtifact = artifact(ARTIFACT_TYPE_B, descriptor(EMPTY_JSON_MEDIA_TYPE, emptyJson),
                descriptor(ARTIFACT_TYPE_B, testRefBlobB), subject4, "test layer b");
        // Same as B-layer but about a subject that is not pushed, and without annotations.
        refsManifestCLayerArtifact = artifact(ARTIFACT_TYPE_B, descriptor(EMPTY_JSON_MEDIA_TYPE, emptyJson),
                descriptor(ARTIFACT_TYPE_B, testRefBlobB), subject3, null);

        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_MEDIA_TYPE);
        index.put("artifactType", ARTIFACT_TYPE_INDEX);
        index.put("manifests", List.of(
                descriptor(MANIFEST_MEDIA_TYPE, refsManifestAConfigArtifact),
                descriptor(MANIFEST_MEDIA_TYPE, refsManifestALayerArtifact)));
        index.put("subject", descriptor(MANIFEST_MEDIA_TYPE, subject4));
        index.put("annotations", Map.of(ANNOTATION_KEY, "test index"));
        refsIndexArtifact = new Blob(Json.writeIndented(index));
        annotationValues.put(refsIndexArtifact.digest(), "test index");
    }

    /**
     * Go's setupChunkedBlob: a fresh random blob of {@code size} bytes split after {@code size/2+1} bytes.
     * The suite calls it again with {@code 2*min-2} when the server announces an
     * {@code OCI-Chunk-Min-Length} larger than the first chunk.
     */
    public void setupChunkedBlob(int size) {
        testBlobB = new Blob(randomBytes(size, seed + 2));
        byte[] b = testBlobB.content();
        int cut = size / 2 + 1;
        testBlobBChunk1 = Arrays.copyOfRange(b, 0, cut);
        testBlobBChunk2 = Arrays.copyOfRange(b, cut, b.length);
        testBlobBChunk1Range = "0-" + (testBlobBChunk1.length - 1);
        testBlobBChunk2Range = testBlobBChunk1.length + "-" + (b.length - 1);
    }

    public Blob config(int i) {
        return configs.get(i);
    }

    public Blob manifest(int i) {
        return manifests.get(i);
    }

    // ------------------------------------------------------------------ builders

    private Blob artifact(String artifactType, Map<String, Object> config, Map<String, Object> onlyLayer,
                          Blob subject, String annotation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST_MEDIA_TYPE);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        m.put("config", config);
        m.put("layers", List.of(onlyLayer));
        m.put("subject", descriptor(MANIFEST_MEDIA_TYPE, subject));
        if (annotation != null) {
            m.put("annotations", Map.of(ANNOTATION_KEY, annotation));
        }
        Blob blob = new Blob(Json.writeIndented(m));
        if (annotation != null) {
            annotationValues.put(blob.digest(), annotation);
        }
        return blob;
    }

    /** A descriptor as image.go writes it: {@code newUnspecifiedField} is always present, here {@code null}. */
    public static Map<String, Object> descriptor(String mediaType, Blob target) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", target.digest());
        d.put("size", target.length());
        d.put("newUnspecifiedField", null);
        return d;
    }

    /** The config descriptor of the workflow manifests: embedded {@code data} and a non-null unknown field. */
    private static Map<String, Object> configDescriptor(Blob config) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", CONFIG_MEDIA_TYPE);
        d.put("digest", config.digest());
        d.put("size", config.length());
        d.put("data", config.content()); // written as base64
        d.put("newUnspecifiedField", "hello world".getBytes(StandardCharsets.UTF_8)); // base64 too
        return d;
    }

    private static String randomString(int n) {
        String letters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(letters.charAt(r.nextInt(letters.length())));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A one-file ustar archive, gzipped: a small but real layer. */
    static byte[] tarGz(String fileName, String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        putAscii(header, 0, fileName);
        putAscii(header, 100, "0000644");
        putAscii(header, 108, "0000000");
        putAscii(header, 116, "0000000");
        putAscii(header, 124, String.format("%011o", content.length));
        putAscii(header, 136, String.format("%011o", 0));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        putAscii(header, 257, "ustar");
        putAscii(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        putAscii(header, 148, String.format("%06o", sum));
        header[154] = 0;
        header[155] = ' ';

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
        tar.writeBytes(new byte[1024]);

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }

    private static void putAscii(byte[] target, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, target, offset, b.length);
    }
}
