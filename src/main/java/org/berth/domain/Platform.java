package org.berth.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * One entry of an index (OCI image-spec image-index.md {@code manifests[].platform}, Docker's
 * manifest list): the child manifest and the platform it is for. Fields the index leaves out are
 * null.
 */
public record Platform(Digest digest, String os, String architecture, String variant) {

    /**
     * The entries of an index, in index order; an entry without a {@code platform} object (an
     * attestation or artifact) has null fields. Bytes that are not an index give an empty list.
     */
    public static List<Platform> ofIndex(byte[] index) {
        Optional<JsonObject> json = ImageConfig.object(index);
        if (json.isEmpty() || !(json.get().get("manifests") instanceof jakarta.json.JsonArray manifests)) {
            return List.of();
        }
        List<Platform> result = new ArrayList<>();
        for (JsonValue entry : manifests) {
            if (!(entry instanceof JsonObject d) || !(d.get("digest") instanceof JsonString digest)) {
                continue;
            }
            Digest parsed;
            try {
                parsed = Digest.parse(digest.getString());
            } catch (RegistryException e) {
                continue;
            }
            JsonObject platform = d.get("platform") instanceof JsonObject p ? p : JsonValue.EMPTY_JSON_OBJECT;
            result.add(new Platform(parsed, ImageConfig.string(platform, "os"),
                    ImageConfig.string(platform, "architecture"), ImageConfig.string(platform, "variant")));
        }
        return List.copyOf(result);
    }
}
