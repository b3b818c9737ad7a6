package org.berth.api.admin;

import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.application.ArtifactService;
import org.berth.application.QuotaService;
import org.berth.application.RepositoryService;
import org.berth.domain.ArtifactInfo;
import org.berth.domain.Descriptor;
import org.berth.domain.ImageConfig;
import org.berth.domain.Platform;
import org.berth.domain.RepositoryInfo;
import org.berth.domain.StoredManifest;
import org.berth.domain.policy.ImmutableRule;

/** How the administration API shows repositories, artifacts, project summaries and quotas. */
final class ContentJson {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private ContentJson() {
    }

    static JsonObject repository(RepositoryInfo r) {
        return JSON.createObjectBuilder()
                .add("name", r.name().value())
                .add("project", r.project())
                .add("artifact_count", r.artifactCount())
                .add("tag_count", r.tagCount())
                .add("pull_count", r.pullCount())
                .add("last_push_at", AdminJson.instant(r.lastPushAt()))
                .add("last_pull_at", AdminJson.instant(r.lastPullAt()))
                .add("created_at", AdminJson.instant(r.createdAt()))
                .build();
    }

    static JsonObject artifact(ArtifactService.Artifact a) {
        ArtifactInfo info = a.info();
        StoredManifest m = info.manifest();
        JsonArrayBuilder tags = JSON.createArrayBuilder();
        info.tags().forEach(t -> {
            ImmutableRule rule = a.immutable().get(t.name());
            tags.add(JSON.createObjectBuilder()
                    .add("name", t.name().value())
                    .add("pushed_at", AdminJson.instant(t.pushedAt()))
                    // the rule that keeps the tag from moving or being deleted, or null
                    .add("immutable_rule", rule == null ? JsonValue.NULL : JSON.createValue(rule.name())));
        });
        JsonArrayBuilder platforms = JSON.createArrayBuilder();
        a.platforms().forEach(p -> platforms.add(platform(p)));
        JsonArrayBuilder layers = JSON.createArrayBuilder();
        a.layers().forEach(l -> layers.add(layer(l)));
        JsonArrayBuilder referrers = JSON.createArrayBuilder();
        a.referrers().forEach(r -> referrers.add(JSON.createObjectBuilder()
                .add("digest", r.digest().toString())
                .add("artifact_type", string(r.artifactType()))
                .add("media_type", r.mediaType())
                .add("size", r.size())));
        return JSON.createObjectBuilder()
                .add("digest", m.digest().toString())
                .add("media_type", m.mediaType())
                .add("artifact_type", string(m.artifactType()))
                .add("size", info.size())
                .add("total_size", info.totalSize())
                .add("pushed_at", AdminJson.instant(m.pushedAt()))
                .add("pulled_at", AdminJson.instant(info.pulledAt()))
                .add("pull_count", info.pullCount())
                .add("subject", string(m.subject() == null ? null : m.subject().toString()))
                .add("tags", tags)
                .add("platforms", platforms)
                .add("config", a.config() == null ? JsonValue.NULL : config(a.config()).build())
                .add("layers", layers)
                .add("referrers", referrers)
                .add("truncated", a.truncated())
                .build();
    }

    private static JsonObjectBuilder platform(Platform p) {
        return JSON.createObjectBuilder()
                .add("digest", p.digest().toString())
                .add("os", string(p.os()))
                .add("architecture", string(p.architecture()))
                .add("variant", string(p.variant()));
    }

    private static JsonObjectBuilder layer(Descriptor d) {
        return JSON.createObjectBuilder()
                .add("digest", d.digest().toString())
                .add("size", d.size())
                .add("media_type", d.mediaType());
    }

    private static JsonObjectBuilder config(ArtifactService.Config c) {
        ImageConfig image = c.image();
        JsonObjectBuilder labels = JSON.createObjectBuilder();
        if (image != null) {
            image.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> labels.add(e.getKey(), e.getValue()));
        }
        return JSON.createObjectBuilder()
                .add("digest", c.digest().toString())
                .add("size", c.size())
                .add("os", string(image == null ? null : image.os()))
                .add("architecture", string(image == null ? null : image.architecture()))
                .add("variant", string(image == null ? null : image.variant()))
                .add("created", string(image == null ? null : image.created()))
                .add("labels", labels);
    }

    static JsonObject summary(RepositoryService.Summary s) {
        return JSON.createObjectBuilder()
                .add("repository_count", s.usage().repositoryCount())
                .add("artifact_count", s.usage().artifactCount())
                .add("tag_count", s.usage().tagCount())
                .add("logical_bytes", s.usage().logicalBytes())
                .add("physical_bytes", s.usage().physicalBytes())
                .add("quota_bytes", s.quotaBytes())
                .build();
    }

    static JsonObject quota(QuotaService.Quota q) {
        return JSON.createObjectBuilder()
                .add("project", q.project())
                .add("limit_bytes", q.limitBytes())
                .add("used_bytes", q.usedBytes())
                .add("logical_bytes", q.logicalBytes())
                .add("physical_bytes", q.physicalBytes())
                .build();
    }

    private static JsonValue string(String value) {
        return value == null ? JsonValue.NULL : JSON.createValue(value);
    }
}
