package org.berth.api.admin;

import java.util.List;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.application.retention.RetentionPlan;
import org.berth.application.retention.RetentionService;
import org.berth.domain.retention.RetentionArtifact;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionRulesJson;
import org.berth.domain.retention.RetentionRun;
import org.berth.domain.retention.Verdict;

/** The JSON of {@code /api/v1/projects/{p}/retention}: the policy, a preview, runs. */
final class RetentionJson {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** Artifacts a preview lists of each kind (condemned, kept); the totals always count all. */
    static final int MAX_LISTED = 1_000;

    private RetentionJson() {
    }

    static JsonObject policy(RetentionService.Policy p) {
        RetentionPolicy policy = p.policy();
        return JSON.createObjectBuilder()
                .add("project", policy.project())
                .add("rules", RetentionRulesJson.write(policy.rules()))
                .add("rules_fingerprint", RetentionPolicy.fingerprint(policy.rules()))
                .add("schedule", policy.schedule() == null ? JsonValue.NULL : JSON.createValue(policy.schedule()))
                .add("enabled", policy.enabled())
                .add("run_gc", policy.runGc())
                .add("updated_at", AdminJson.instant(policy.updatedAt()))
                .add("updated_by", policy.updatedBy() == null ? JsonValue.NULL : JSON.createValue(policy.updatedBy()))
                .add("next_run", p.nextRun().map(t -> AdminJson.instant(t.toInstant())).orElse(JsonValue.NULL))
                .build();
    }

    static JsonObject saved(RetentionService.Saved saved) {
        return JSON.createObjectBuilder()
                .add("policy", policy(saved.policy()))
                .add("preview", saved.preview().<JsonValue>map(RetentionJson::preview).orElse(JsonValue.NULL))
                .build();
    }

    /**
     * A preview: totals, each repository's counts, and the artifacts (the first {@value #MAX_LISTED}
     * of those that would be deleted, and of those kept with why).
     */
    static JsonObject preview(RetentionPlan plan) {
        JsonArrayBuilder repositories = JSON.createArrayBuilder();
        JsonArrayBuilder deletions = JSON.createArrayBuilder();
        JsonArrayBuilder kept = JSON.createArrayBuilder();
        int listedDeletions = 0;
        int listedKept = 0;
        for (RetentionPlan.Repository r : plan.repositories()) {
            int condemned = 0;
            for (Verdict v : r.verdicts()) {
                if (!v.kept()) {
                    condemned++;
                    if (listedDeletions++ < MAX_LISTED) {
                        deletions.add(artifact(r.name().value(), v.artifact())
                                .add("freed_bytes", r.freedBy().getOrDefault(v.artifact().digest(), 0L)));
                    }
                } else if (listedKept++ < MAX_LISTED) {
                    JsonObjectBuilder k = artifact(r.name().value(), v.artifact()).add("reason", v.reason().jsonName());
                    if (v.reason() == Verdict.Reason.RULE) {
                        k.add("rule", v.rule()).add("rule_text", plan.rules().get(v.rule()));
                    }
                    kept.add(k);
                }
            }
            repositories.add(JSON.createObjectBuilder().add("repository", r.name().value())
                    .add("artifacts", r.verdicts().size()).add("deleted", condemned).add("kept", r.verdicts().size() - condemned)
                    .add("freed_bytes", r.freedBytes()));
        }
        return JSON.createObjectBuilder()
                .add("project", plan.project())
                .add("rules_fingerprint", plan.fingerprint())
                .add("rules", strings(plan.rules()))
                .add("evaluated_at", AdminJson.instant(plan.evaluatedAt()))
                .add("totals", JSON.createObjectBuilder()
                        .add("repositories", plan.repositories().size())
                        .add("artifacts_deleted", plan.condemnedCount())
                        .add("tags_deleted", plan.condemnedTags())
                        .add("artifacts_kept", plan.keptCount())
                        .add("freed_bytes", plan.freedBytes()))
                .add("repositories", repositories)
                .add("deletions", deletions)
                .add("deletions_truncated", listedDeletions > MAX_LISTED)
                .add("kept", kept)
                .add("kept_truncated", listedKept > MAX_LISTED)
                .build();
    }

    private static JsonObjectBuilder artifact(String repository, RetentionArtifact a) {
        return JSON.createObjectBuilder()
                .add("repository", repository)
                .add("digest", a.digest().toString())
                .add("tags", strings(a.tagNames()))
                .add("pushed_at", AdminJson.instant(a.tags().stream().map(RetentionArtifact.TagTime::at)
                        .max(java.util.Comparator.naturalOrder()).orElse(a.pushedAt())))
                .add("last_pull_at", AdminJson.instant(a.lastPullAt()));
    }

    /** A run; {@code deleted} (the artifacts it deleted, the first 1,000) only when {@code withItems}. */
    static JsonObject run(RetentionRun run, boolean withItems) {
        RetentionRun.Report r = run.report();
        JsonObjectBuilder out = JSON.createObjectBuilder()
                .add("id", run.id())
                .add("project", run.project())
                .add("state", run.state().jsonName())
                .add("trigger", run.trigger().jsonName())
                .add("started_by", run.startedBy())
                .add("started_by_kind", run.startedByKind())
                .add("started_at", AdminJson.instant(run.startedAt()))
                .add("ended_at", AdminJson.instant(run.endedAt()))
                .add("rules_fingerprint", r.rules())
                .add("artifacts_deleted", r.artifactsDeleted())
                .add("tags_deleted", r.tagsDeleted())
                .add("skipped", r.skipped())
                .add("freed_bytes", r.freedBytes())
                .add("gc_run", r.gcRun() == null ? JsonValue.NULL : JSON.createValue(r.gcRun()))
                .add("errors", strings(r.errors()))
                .add("error_count", r.errorCount());
        if (withItems) {
            JsonArrayBuilder deleted = JSON.createArrayBuilder();
            r.deleted().forEach(d -> deleted.add(JSON.createObjectBuilder().add("repository", d.repository())
                    .add("digest", d.digest()).add("tags", strings(d.tags()))));
            out.add("deleted", deleted).add("deleted_truncated", r.artifactsDeleted() > r.deleted().size());
        }
        return out.build();
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder out = JSON.createArrayBuilder();
        values.forEach(out::add);
        return out;
    }
}
