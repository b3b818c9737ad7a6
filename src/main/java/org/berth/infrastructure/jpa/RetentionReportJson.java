package org.berth.infrastructure.jpa;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.domain.retention.RetentionRun;

/**
 * The lists of a retention run's report as {@code retention_run.report} keeps them: what it
 * deleted (the first {@value RetentionRun.Report#MAX_ITEMS}, at most {@value #MAX_TAGS} tag names
 * each) and its first errors; the counts have columns of their own.
 */
final class RetentionReportJson {

    private static final JsonProvider JSON = JsonProvider.provider();
    static final int MAX_TAGS = 20;
    private static final int MAX_ERROR = 300;

    private RetentionReportJson() {
    }

    static String write(RetentionRun.Report report) {
        JsonArrayBuilder deleted = JSON.createArrayBuilder();
        for (RetentionRun.Deletion d : report.deleted()) {
            JsonArrayBuilder tags = JSON.createArrayBuilder();
            d.tags().stream().limit(MAX_TAGS).forEach(tags::add);
            deleted.add(JSON.createObjectBuilder().add("repository", d.repository()).add("digest", d.digest()).add("tags", tags));
        }
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        report.errors().forEach(e -> errors.add(e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) : e));
        return JSON.createObjectBuilder().add("deleted", deleted).add("errors", errors).build().toString();
    }

    static RetentionRun.Report read(RetentionRunEntity e) {
        List<RetentionRun.Deletion> deleted = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (e.report != null && !e.report.isBlank()) {
            JsonObject o;
            try (JsonReader reader = JSON.createReader(new StringReader(e.report))) {
                o = reader.readObject();
            }
            for (JsonValue v : o.getJsonArray("deleted")) {
                JsonObject d = v.asJsonObject();
                deleted.add(new RetentionRun.Deletion(d.getString("repository"), d.getString("digest"),
                        d.getJsonArray("tags").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()));
            }
            o.getJsonArray("errors").getValuesAs(JsonString.class).forEach(s -> errors.add(s.getString()));
        }
        return new RetentionRun.Report(e.artifactsDeleted, e.tagsDeleted, e.skipped, e.freedBytes, deleted, errors, e.errorCount,
                e.gcRunId, e.rulesFingerprint);
    }
}
