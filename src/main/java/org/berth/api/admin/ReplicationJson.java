package org.berth.api.admin;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.application.replication.ReplicationService;
import org.berth.domain.RegistryException;
import org.berth.domain.replication.ReplicationExecution;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationTask;

/**
 * The JSON of {@code /api/v1/replication} (the contract in the README's "Replication"): rules in
 * and out, executions and tasks out. A rule is read strictly (an unknown or mistyped field is a
 * 400 naming it); a PATCH is the rule's JSON with the sent fields laid over it (nested objects
 * field by field), read as a whole, so a change is validated exactly as a new rule is.
 */
final class ReplicationJson {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<String> RULE_FIELDS = Set.of("name", "description", "direction", "registry", "filters",
            "destination", "trigger", "override", "replicate_deletion", "bandwidth_kbps", "enabled",
            // sent back by a client that PATCHes what it read: ignored
            "created_at", "updated_at", "last_execution");
    private static final Set<String> FILTER_FIELDS = Set.of("repository", "tag", "tag_match", "artifact_type");
    private static final Set<String> DESTINATION_FIELDS = Set.of("namespace", "path");
    private static final Set<String> TRIGGER_FIELDS = Set.of("type", "cron");
    private static final Set<String> NESTED = Set.of("filters", "destination", "trigger");

    private ReplicationJson() {
    }

    // ------------------------------------------------------------------ rules in

    static ReplicationRule rule(JsonObject body) {
        only(body, RULE_FIELDS, "");
        JsonObject filters = object(body, "filters");
        JsonObject destination = object(body, "destination");
        JsonObject trigger = object(body, "trigger");
        only(filters, FILTER_FIELDS, "filters.");
        only(destination, DESTINATION_FIELDS, "destination.");
        only(trigger, TRIGGER_FIELDS, "trigger.");
        return new ReplicationRule(
                required(body, "name", ""),
                string(body, "description", "", ""),
                choice(body, "direction", "", ReplicationRule.Direction.class, null),
                required(body, "registry", ""),
                new ReplicationRule.Filters(string(filters, "repository", "filters."), string(filters, "tag", "filters."),
                        choice(filters, "tag_match", "filters.", ReplicationRule.TagMatch.class, ReplicationRule.TagMatch.INCLUDE),
                        string(filters, "artifact_type", "filters.")),
                new ReplicationRule.Destination(string(destination, "namespace", "destination."),
                        choice(destination, "path", "destination.", ReplicationRule.PathMode.class, ReplicationRule.PathMode.KEEP)),
                new ReplicationRule.Trigger(choice(trigger, "type", "trigger.", ReplicationRule.TriggerType.class,
                        ReplicationRule.TriggerType.MANUAL), string(trigger, "cron", "trigger.")),
                bool(body, "override", true),
                bool(body, "replicate_deletion", false),
                number(body, "bandwidth_kbps", 0),
                bool(body, "enabled", true),
                null, null);
    }

    /** The current rule with the patch laid over it; the name cannot change. */
    static ReplicationRule patched(ReplicationRule current, JsonObject patch) {
        only(patch, RULE_FIELDS, "");
        if (patch.containsKey("name") && !(patch.get("name") instanceof JsonString s && s.getString().equals(current.name()))) {
            throw new RegistryException.InvalidRequest("'name' cannot change: create a rule of the new name and delete this one");
        }
        JsonObjectBuilder merged = JSON.createObjectBuilder(request(current));
        JsonObject base = request(current);
        for (Map.Entry<String, JsonValue> field : patch.entrySet()) {
            if (NESTED.contains(field.getKey()) && field.getValue() instanceof JsonObject nested) {
                JsonObjectBuilder inner = JSON.createObjectBuilder(base.getJsonObject(field.getKey()));
                if (field.getKey().equals("trigger") && nested.containsKey("type") && !nested.containsKey("cron")) {
                    inner.remove("cron"); // a new trigger type does not inherit the old schedule
                }
                nested.forEach(inner::add);
                merged.add(field.getKey(), inner);
            } else {
                merged.add(field.getKey(), field.getValue());
            }
        }
        return rule(merged.build());
    }

    // ------------------------------------------------------------------ out

    /** The fields a request takes. */
    private static JsonObject request(ReplicationRule r) {
        JsonObjectBuilder filters = JSON.createObjectBuilder().add("repository", r.filters().repository())
                .add("tag", r.filters().tag()).add("tag_match", r.filters().tagMatch().jsonName());
        filters.add("artifact_type", r.filters().artifactType() == null ? JsonValue.NULL : JSON.createValue(r.filters().artifactType()));
        JsonObjectBuilder trigger = JSON.createObjectBuilder().add("type", r.trigger().type().jsonName());
        trigger.add("cron", r.trigger().cron() == null ? JsonValue.NULL : JSON.createValue(r.trigger().cron()));
        return JSON.createObjectBuilder()
                .add("name", r.name())
                .add("description", r.description())
                .add("direction", r.direction().jsonName())
                .add("registry", r.registry())
                .add("filters", filters)
                .add("destination", JSON.createObjectBuilder().add("namespace", r.destination().namespace())
                        .add("path", r.destination().path().jsonName()))
                .add("trigger", trigger)
                .add("override", r.override())
                .add("replicate_deletion", r.replicateDeletion())
                .add("bandwidth_kbps", r.bandwidthKbps())
                .add("enabled", r.enabled())
                .build();
    }

    static JsonObject rule(ReplicationService.RuleView view) {
        ReplicationRule r = view.rule();
        JsonObjectBuilder json = JSON.createObjectBuilder(request(r))
                .add("created_at", AdminJson.instant(r.createdAt()))
                .add("updated_at", AdminJson.instant(r.updatedAt()));
        json.add("last_execution", view.lastExecution().<JsonValue>map(e -> JSON.createObjectBuilder()
                .add("id", e.id()).add("status", e.status().jsonName()).add("started_at", AdminJson.instant(e.startedAt()))
                .add("finished_at", AdminJson.instant(e.finishedAt())).build()).orElse(JsonValue.NULL));
        return json.build();
    }

    static JsonObject execution(ReplicationExecution e) {
        ReplicationExecution.TaskCounts t = e.tasks();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", e.id())
                .add("rule", e.rule())
                .add("trigger", e.trigger().jsonName());
        json.add("retry_of", e.retryOf() == null ? JsonValue.NULL : JSON.createValue(e.retryOf()));
        json.add("status", e.status().jsonName())
                .add("started_at", AdminJson.instant(e.startedAt()))
                .add("finished_at", AdminJson.instant(e.finishedAt()))
                .add("created_at", AdminJson.instant(e.createdAt()))
                .add("tasks", JSON.createObjectBuilder().add("total", t.total()).add("pending", t.pending())
                        .add("running", t.running()).add("succeeded", t.succeeded()).add("failed", t.failed())
                        .add("skipped", t.skipped()))
                .add("bytes_total", e.bytesTotal())
                .add("bytes_done", e.bytesDone())
                .add("stop_requested", e.stopRequested());
        json.add("error", e.error() == null ? JsonValue.NULL : JSON.createValue(e.error()));
        json.add("scope", e.scope().<JsonValue>map(s -> JSON.createObjectBuilder().add("operation", s.operation().jsonName())
                .add("repository", s.repository()).add("reference", s.reference()).build()).orElse(JsonValue.NULL));
        return json.build();
    }

    /** {@code error} for a failed task; {@code reason} (why) for a skipped one. */
    static JsonObject task(ReplicationTask t) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", t.id())
                .add("execution_id", t.execution())
                .add("operation", t.operation().jsonName())
                .add("source", ReplicationTask.name(t.sourceRepository(), t.tag(), t.tag() == null ? t.digest() : null))
                .add("destination", ReplicationTask.name(t.destinationRepository(), t.tag(), t.tag() == null ? t.digest() : null));
        json.add("digest", t.digest() == null ? JsonValue.NULL : JSON.createValue(t.digest()));
        json.add("status", t.status().jsonName()).add("bytes", t.bytes());
        json.add("duration_ms", t.durationMs() == null ? JsonValue.NULL : JSON.createValue(t.durationMs()));
        boolean failed = t.status() == ReplicationTask.Status.FAILED;
        json.add("error", failed && t.message() != null ? JSON.createValue(t.message()) : JsonValue.NULL);
        json.add("reason", !failed && t.message() != null ? JSON.createValue(t.message()) : JsonValue.NULL);
        json.add("started_at", AdminJson.instant(t.startedAt())).add("finished_at", AdminJson.instant(t.finishedAt()));
        return json.build();
    }

    // ------------------------------------------------------------------ reading fields

    private static void only(JsonObject object, Set<String> allowed, String prefix) {
        for (String name : object.keySet()) {
            if (!allowed.contains(name)) {
                throw new RegistryException.InvalidRequest("'" + prefix + name + "' is not a field of a replication rule; the fields"
                        + (prefix.isEmpty() ? "" : " of '" + prefix.substring(0, prefix.length() - 1) + "'") + " are "
                        + String.join(", ", allowed.stream().filter(f -> !f.endsWith("_at") && !f.equals("last_execution"))
                        .sorted().toList()));
            }
        }
    }

    private static JsonValue field(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
    }

    private static JsonObject object(JsonObject body, String name) {
        JsonValue value = field(body, name);
        if (value == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (value instanceof JsonObject o) {
            return o;
        }
        throw new RegistryException.InvalidRequest("'" + name + "' must be an object");
    }

    private static String string(JsonObject object, String name, String prefix) {
        JsonValue value = field(object, name);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new RegistryException.InvalidRequest("'" + prefix + name + "' must be a string");
    }

    private static String string(JsonObject object, String name, String prefix, String absent) {
        String value = string(object, name, prefix);
        return value == null ? absent : value;
    }

    private static String required(JsonObject object, String name, String prefix) {
        String value = string(object, name, prefix);
        if (value == null || value.isEmpty()) {
            throw new RegistryException.InvalidRequest("'" + prefix + name + "' is required");
        }
        return value;
    }

    private static <E extends Enum<E>> E choice(JsonObject object, String name, String prefix, Class<E> type, E absent) {
        String value = string(object, name, prefix);
        if (value == null) {
            if (absent == null) {
                throw new RegistryException.InvalidRequest("'" + prefix + name + "' is required");
            }
            return absent;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw new RegistryException.InvalidRequest("'" + prefix + name + "' must be one of " + String.join(", ",
                java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static boolean bool(JsonObject object, String name, boolean absent) {
        JsonValue value = field(object, name);
        if (value == null) {
            return absent;
        }
        return switch (value.getValueType()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw new RegistryException.InvalidRequest("'" + name + "' must be true or false");
        };
    }

    private static long number(JsonObject object, String name, long absent) {
        JsonValue value = field(object, name);
        if (value == null) {
            return absent;
        }
        if (value instanceof JsonNumber n && n.isIntegral()) {
            try {
                return n.bigIntegerValueExact().longValueExact();
            } catch (ArithmeticException e) {
                // refused below
            }
        }
        throw new RegistryException.InvalidRequest("'" + name + "' must be a whole number");
    }
}
