package org.berth.infrastructure.jpa;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.domain.gc.GarbageKind;
import org.berth.domain.gc.GcRun;

/** A run's report as the {@code gc_run.report} column keeps it: JSON, bounded by the report's caps. */
final class GcReportJson {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int MAX_ERROR = 300;

    private GcReportJson() {
    }

    static String write(GcRun.Report report) {
        JsonObjectBuilder tallies = JSON.createObjectBuilder();
        report.tallies().forEach((kind, tally) -> tallies.add(kind.jsonName(),
                JSON.createObjectBuilder().add("count", tally.count()).add("bytes", tally.bytes())));
        JsonArrayBuilder repositories = JSON.createArrayBuilder();
        report.repositories().stream().limit(GcRun.Report.MAX_REPOSITORIES).forEach(r -> repositories.add(JSON.createObjectBuilder()
                .add("repository", r.repository())
                .add("manifests", r.manifests()).add("manifest_bytes", r.manifestBytes())
                .add("links", r.links()).add("link_bytes", r.linkBytes())
                .add("uploads", r.uploads()).add("upload_bytes", r.uploadBytes())));
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        report.errors().stream().limit(GcRun.Report.MAX_ERRORS)
                .forEach(e -> errors.add(e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) : e));
        JsonArrayBuilder phases = JSON.createArrayBuilder();
        report.phases().forEach(p -> phases.add(JSON.createObjectBuilder()
                .add("phase", p.phase()).add("millis", p.millis()).add("scanned", p.scanned())));
        return JSON.createObjectBuilder()
                .add("tallies", tallies)
                .add("repositories", repositories)
                .add("repository_count", report.repositoryCount())
                .add("errors", errors)
                .add("error_count", report.errorCount())
                .add("phases", phases)
                .build().toString();
    }

    static GcRun.Report read(String text) {
        if (text == null || text.isBlank()) {
            return GcRun.Report.empty();
        }
        JsonObject o;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            o = reader.readObject();
        }
        Map<GarbageKind, GcRun.Tally> tallies = GcRun.Report.emptyTallies();
        JsonObject t = o.getJsonObject("tallies");
        for (GarbageKind kind : GarbageKind.values()) {
            if (t != null && t.get(kind.jsonName()) instanceof JsonObject k) {
                tallies.put(kind, new GcRun.Tally(k.getJsonNumber("count").longValue(), k.getJsonNumber("bytes").longValue()));
            }
        }
        List<GcRun.RepositoryTally> repositories = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("repositories")) {
            JsonObject r = v.asJsonObject();
            repositories.add(new GcRun.RepositoryTally(r.getString("repository"),
                    number(r, "manifests"), number(r, "manifest_bytes"), number(r, "links"), number(r, "link_bytes"),
                    number(r, "uploads"), number(r, "upload_bytes")));
        }
        List<String> errors = o.getJsonArray("errors").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
        List<GcRun.PhaseTime> phases = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("phases")) {
            JsonObject p = v.asJsonObject();
            phases.add(new GcRun.PhaseTime(p.getString("phase"), number(p, "millis"), number(p, "scanned")));
        }
        return new GcRun.Report(tallies, repositories, o.getInt("repository_count"), errors, o.getInt("error_count"), phases);
    }

    private static long number(JsonObject o, String key) {
        return o.getJsonNumber(key).longValue();
    }
}
