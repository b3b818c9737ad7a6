package org.berth.domain;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * A parsed, validated manifest: an image manifest (OCI or Docker schema 2, artifacts included)
 * or an index (OCI image index or Docker manifest list). The bytes stay the authority; this is
 * what Berth reads out of them to check references and answer the referrers API.
 *
 * @param mediaType    the manifest's media type, from its {@code mediaType} field or the request
 * @param config       image manifests only: the config descriptor
 * @param layers       image manifests only: the layer descriptors (empty for some artifacts)
 * @param manifests    indexes only: the child manifest descriptors
 * @param subject      the manifest this one refers to (OCI image-spec "subject"), or null
 * @param artifactType the explicit artifact type, or null
 * @param annotations  the manifest's annotations
 */
public record ManifestDocument(String mediaType, Descriptor config, List<Descriptor> layers,
                               List<Descriptor> manifests, Descriptor subject, String artifactType,
                               Map<String, String> annotations) {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** OCI dist-spec: registries may refuse manifests over 4 MiB; Berth does. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Manifests are shallow (index, descriptor, platform, features: 4 levels); 1000 was a 500. */
    public static final int MAX_DEPTH = 32;

    /**
     * The longest key or string: annotations may carry signatures and certificates of some
     * kilobytes, nothing legitimate comes near this.
     */
    public static final int MAX_STRING = 256 * 1024;

    /** RFC 6838 4.2: a type and a subtype of at most 127 characters each. */
    public static final int MAX_MEDIA_TYPE = 255;

    private static final BoundedJson BOUNDED = new BoundedJson(MAX_DEPTH, MAX_STRING,
            reason -> new RegistryException.ManifestInvalid("manifest refused: " + reason));

    public boolean isIndex() {
        return MediaTypes.INDEXES.contains(mediaType);
    }

    /**
     * The type the referrers API reports: the explicit artifact type, else an image's config
     * media type (OCI image-spec manifest.md "artifactType").
     */
    public String effectiveArtifactType() {
        if (artifactType != null) {
            return artifactType;
        }
        return config != null ? config.mediaType() : null;
    }

    /**
     * Parses and validates manifest bytes.
     *
     * @param bytes       the manifest exactly as received
     * @param contentType the request's Content-Type, used when the manifest carries no mediaType
     * @throws RegistryException.ManifestInvalid when the bytes are not a manifest Berth accepts
     * @throws RegistryException.SizeInvalid     when the manifest is over {@link #MAX_BYTES}
     */
    public static ManifestDocument parse(byte[] bytes, String contentType) {
        if (bytes.length > MAX_BYTES) {
            throw new RegistryException.SizeInvalid("manifest larger than " + MAX_BYTES + " bytes");
        }
        JsonObject json = readObject(bytes);
        String declared = mediaType(optionalString(json, "mediaType"), "mediaType");
        String headerType = baseType(contentType);
        if (MediaTypes.isSchema1(declared) || MediaTypes.isSchema1(headerType) || schemaVersion(json) == 1) {
            throw new RegistryException.ManifestInvalid(
                    "Docker image manifest schema 1 is not supported: push with a client that sends schema 2 or OCI manifests");
        }
        if (schemaVersion(json) != 2) {
            throw new RegistryException.ManifestInvalid("manifest schemaVersion must be 2");
        }
        String mediaType = resolveMediaType(json, declared, headerType);
        Map<String, String> annotations = annotations(json);
        Descriptor subject = json.containsKey("subject") && json.get("subject").getValueType() != JsonValue.ValueType.NULL
                ? descriptor(json.get("subject"), "subject") : null;
        String artifactType = mediaType(optionalString(json, "artifactType"), "artifactType");
        if (MediaTypes.INDEXES.contains(mediaType)) {
            List<Descriptor> manifests = descriptors(json, "manifests", true);
            return new ManifestDocument(mediaType, null, List.of(), manifests, subject, artifactType, annotations);
        }
        if (!json.containsKey("config")) {
            throw new RegistryException.ManifestInvalid("image manifest has no config descriptor");
        }
        Descriptor config = descriptor(json.get("config"), "config");
        List<Descriptor> layers = descriptors(json, "layers", MediaTypes.DOCKER_MANIFEST.equals(mediaType));
        return new ManifestDocument(mediaType, config, layers, List.of(), subject, artifactType, annotations);
    }

    /** One JSON object and nothing after it (as Go's json.Unmarshal, which clients use, insists). */
    private static JsonObject readObject(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(bytes))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new RegistryException.ManifestInvalid("manifest must be a JSON object");
            }
            JsonObject object = BOUNDED.readObject(parser);
            if (parser.hasNext()) {
                throw new RegistryException.ManifestInvalid("manifest has content after its JSON object");
            }
            return object;
        } catch (jakarta.json.JsonException | java.util.NoSuchElementException | IllegalStateException e) {
            throw new RegistryException.ManifestInvalid("manifest is not valid JSON");
        }
    }

    private static String resolveMediaType(JsonObject json, String declared, String headerType) {
        if (declared != null && headerType != null && !headerType.equals(declared)
                && !"application/json".equals(headerType) && !"application/octet-stream".equals(headerType)) {
            throw new RegistryException.ManifestInvalid(
                    "Content-Type " + headerType + " does not match the manifest's mediaType " + declared);
        }
        String mediaType = declared;
        if (mediaType == null && headerType != null && !"application/json".equals(headerType)
                && !"application/octet-stream".equals(headerType)) {
            mediaType = headerType;
        }
        if (mediaType == null) {
            // OCI image-spec: mediaType is optional; infer it from the shape.
            mediaType = json.containsKey("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (!MediaTypes.IMAGES.contains(mediaType) && !MediaTypes.INDEXES.contains(mediaType)) {
            throw new RegistryException.ManifestInvalid("unsupported manifest media type: " + mediaType);
        }
        return mediaType;
    }

    private static int schemaVersion(JsonObject json) {
        JsonValue v = json.get("schemaVersion");
        if (v instanceof JsonNumber n && n.isIntegral()) {
            return n.intValue();
        }
        throw new RegistryException.ManifestInvalid("manifest has no integer schemaVersion");
    }

    private static List<Descriptor> descriptors(JsonObject json, String field, boolean required) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                throw new RegistryException.ManifestInvalid("manifest has no " + field + " array");
            }
            return List.of();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new RegistryException.ManifestInvalid(field + " must be an array");
        }
        JsonArray array = value.asJsonArray();
        List<Descriptor> result = new ArrayList<>(array.size());
        for (JsonValue item : array) {
            result.add(descriptor(item, field));
        }
        return List.copyOf(result);
    }

    private static Descriptor descriptor(JsonValue value, String where) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new RegistryException.ManifestInvalid(where + ": descriptor must be an object");
        }
        JsonObject d = value.asJsonObject();
        String mediaType = mediaType(optionalString(d, "mediaType"), where + ": mediaType");
        if (mediaType == null) {
            throw new RegistryException.ManifestInvalid(where + ": descriptor has no mediaType");
        }
        String digest = optionalString(d, "digest");
        if (digest == null) {
            throw new RegistryException.ManifestInvalid(where + ": descriptor has no digest");
        }
        Digest parsed;
        try {
            parsed = Digest.parse(digest);
        } catch (RegistryException.DigestInvalid e) {
            throw new RegistryException.ManifestInvalid(where + ": " + e.getMessage() + " " + digest);
        }
        JsonValue size = d.get("size");
        long bytes;
        try {
            bytes = size instanceof JsonNumber n && n.isIntegral() ? n.bigDecimalValue().longValueExact() : -1;
        } catch (ArithmeticException e) {
            bytes = -1; // beyond int64, as Go clients would refuse it
        }
        if (bytes < 0) {
            throw new RegistryException.ManifestInvalid(where + ": descriptor size must be a non-negative 64-bit integer");
        }
        return new Descriptor(mediaType, parsed, bytes, mediaType(optionalString(d, "artifactType"), where + ": artifactType"));
    }

    /** A media type field, refused (without being echoed) when longer than RFC 6838 allows. */
    private static String mediaType(String value, String field) {
        if (value != null && value.length() > MAX_MEDIA_TYPE) {
            throw new RegistryException.ManifestInvalid(
                    field + " is " + value.length() + " characters long; a media type has at most " + MAX_MEDIA_TYPE);
        }
        return value;
    }

    private static Map<String, String> annotations(JsonObject json) {
        JsonValue value = json.get("annotations");
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        value.asJsonObject().forEach((k, v) -> {
            if (v instanceof JsonString s) {
                result.put(k, s.getString());
            }
        });
        return result;
    }

    private static String optionalString(JsonObject json, String field) {
        JsonValue v = json.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.getString();
        }
        throw new RegistryException.ManifestInvalid(field + " must be a string");
    }

    /** {@code application/x; charset=utf-8} → {@code application/x}; null when absent. */
    static String baseType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
