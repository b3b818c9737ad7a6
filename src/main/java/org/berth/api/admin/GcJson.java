package org.berth.api.admin;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.application.gc.GcService;
import org.berth.domain.gc.GarbageKind;
import org.berth.domain.gc.GcRun;

/** The JSON of {@code /api/v1/system/gc}: the collector's status and its runs. */
final class GcJson {

    private static final JsonProvider JSON = JsonProvider.provider();

    private GcJson() {
    }

    static JsonObject status(GcService.Status status) {
        return JSON.createObjectBuilder()
                .add("grace_seconds", status.grace().toSeconds())
                .add("upload_expiry_seconds", status.uploadExpiry().toSeconds())
                .add("schedule", status.schedule().<JsonValue>map(JSON::createValue).orElse(JsonValue.NULL))
                .add("next_scheduled_run", status.nextScheduledRun().map(t -> AdminJson.instant(t.toInstant())).orElse(JsonValue.NULL))
                .add("running", status.running().<JsonValue>map(GcJson::run).orElse(JsonValue.NULL))
                .add("last", status.last().<JsonValue>map(GcJson::run).orElse(JsonValue.NULL))
                .build();
    }

    /**
     * A run. {@code deleted} holds what it deleted by kind, or for a dry run what it would delete;
     * {@code freed_bytes} the bytes it removed (would remove) from the data root: blobs, upload
     * sessions and orphan files (manifests and links are rows, their bytes go with the blobs).
     */
    static JsonObject run(GcRun run) {
        GcRun.Progress p = run.progress();
        long percent = p.phaseTotal() <= 0 ? (run.running() ? 0 : 100) : Math.min(100, p.phaseScanned() * 100 / p.phaseTotal());
        JsonObjectBuilder deleted = JSON.createObjectBuilder();
        for (GarbageKind kind : GarbageKind.values()) {
            GcRun.Tally t = run.report().tally(kind);
            deleted.add(kind.jsonName(), JSON.createObjectBuilder().add("count", t.count()).add("bytes", t.bytes()));
        }
        JsonArrayBuilder repositories = JSON.createArrayBuilder();
        run.report().repositories().forEach(r -> repositories.add(JSON.createObjectBuilder()
                .add("repository", r.repository())
                .add("manifests", r.manifests()).add("manifest_bytes", r.manifestBytes())
                .add("links", r.links()).add("link_bytes", r.linkBytes())
                .add("upload_sessions", r.uploads()).add("upload_bytes", r.uploadBytes())));
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        run.report().errors().forEach(errors::add);
        JsonArrayBuilder phases = JSON.createArrayBuilder();
        run.report().phases().forEach(t -> phases.add(JSON.createObjectBuilder()
                .add("phase", t.phase()).add("millis", t.millis()).add("scanned", t.scanned())));
        return JSON.createObjectBuilder()
                .add("id", run.id())
                .add("state", run.state().jsonName())
                .add("trigger", run.trigger().jsonName())
                .add("dry_run", run.options().dryRun())
                .add("delete_untagged", run.options().deleteUntagged())
                .add("started_by", run.startedBy())
                .add("started_by_kind", run.startedByKind())
                .add("started_at", AdminJson.instant(run.startedAt()))
                .add("ended_at", AdminJson.instant(run.endedAt()))
                .add("cancel_requested", run.cancelRequested())
                .add("progress", JSON.createObjectBuilder()
                        .add("phase", p.phase())
                        .add("phase_scanned", p.phaseScanned())
                        .add("phase_total", p.phaseTotal())
                        .add("percent", percent)
                        .add("scanned", p.scanned())
                        .add("deleted", p.deleted())
                        .add("freed_bytes", p.freedBytes()))
                .add("deleted", deleted)
                .add("freed_bytes", p.freedBytes())
                .add("repositories", repositories)
                .add("repository_count", run.report().repositoryCount())
                .add("errors", errors)
                .add("error_count", run.report().errorCount())
                .add("phases", phases)
                .build();
    }
}
