package org.berth.domain.replication;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.berth.domain.CronSchedule;
import org.berth.domain.MediaTypes;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * What one replication rule copies, where, and when (issue 21). Built only through the canonical
 * constructor, which refuses what cannot run (a bad name, glob, namespace or cron expression, an
 * event trigger on a pull rule) with {@link RegistryException.InvalidRequest} naming the field:
 * a rule that is stored can be executed.
 *
 * @param registry      the registry endpoint's name (that it exists is the service's check)
 * @param bandwidthKbps KiB/s over the whole execution; 0 for no cap
 */
public record ReplicationRule(String name, String description, Direction direction, String registry, Filters filters,
                              Destination destination, Trigger trigger, boolean override, boolean replicateDeletion,
                              long bandwidthKbps, boolean enabled, Instant createdAt, Instant updatedAt) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");
    public static final int MAX_DESCRIPTION = 1024;
    /** 10 GiB/s: anything above is no cap worth naming. */
    public static final long MAX_BANDWIDTH_KBPS = 10L * 1024 * 1024;

    /** push: local to the endpoint; pull: the endpoint to local. */
    public enum Direction {
        PUSH, PULL;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** include: only tags matching the tag glob; exclude: all tags but those. */
    public enum TagMatch {
        INCLUDE, EXCLUDE;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a source repository's name becomes the destination's ({@link Destination#map}). */
    public enum PathMode {
        KEEP, REPLACE, FLATTEN;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What starts an execution besides a person. */
    public enum TriggerType {
        MANUAL, CRON, EVENT;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Which artifacts of the source: by repository glob, by tag glob (left out instead when
     * {@code tagMatch} is exclude; the empty glob always means every tag), and by artifact type
     * ({@code image}, {@code index}, or a config or artifact media type; null for all).
     */
    public record Filters(String repository, String tag, TagMatch tagMatch, String artifactType) {

        public Filters {
            repository = repository == null ? "" : repository;
            tag = tag == null ? "" : tag;
            tagMatch = tagMatch == null ? TagMatch.INCLUDE : tagMatch;
            artifactType = artifactType == null || artifactType.isEmpty() ? null : artifactType;
            glob("filters.repository", repository);
            glob("filters.tag", tag);
            if (artifactType != null && !artifactType.equals("image") && !artifactType.equals("index")
                    && !artifactType.matches("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}")) {
                throw invalid("'filters.artifact_type' must be null, \"image\", \"index\" or a media type");
            }
        }

        public Glob repositoryGlob() {
            return Glob.of(repository);
        }

        /** Whether the repository is one of the source's. */
        public boolean acceptsRepository(String name) {
            return repositoryGlob().matches(name);
        }

        /** Whether the tag is one to copy. */
        public boolean acceptsTag(String value) {
            if (tag.isEmpty()) {
                return true;
            }
            boolean matches = Glob.of(tag).matches(value);
            return tagMatch == TagMatch.INCLUDE ? matches : !matches;
        }

        /**
         * Whether an artifact of this manifest media type and artifact type (its config's media type
         * for an image, else its {@code artifactType}; may be null) is one to copy.
         */
        public boolean acceptsArtifact(String mediaType, String artifactTypeOf) {
            if (artifactType == null) {
                return true;
            }
            return switch (artifactType) {
                case "image" -> MediaTypes.IMAGES.contains(mediaType);
                case "index" -> MediaTypes.INDEXES.contains(mediaType);
                default -> artifactType.equals(artifactTypeOf);
            };
        }

        private static void glob(String field, String value) {
            try {
                Glob.of(value);
            } catch (IllegalArgumentException e) {
                throw invalid("'" + field + "': " + e.getMessage());
            }
            if (!value.matches("[A-Za-z0-9._/*?-]*")) {
                throw invalid("'" + field + "' may hold letters, digits, '.', '_', '-', '/', '*' and '?' only");
            }
        }
    }

    /**
     * Where a source repository lands: keep ({@code a/b/c} stays {@code a/b/c}; the namespace is
     * not used), replace ({@code a/b/c} becomes {@code ns/b/c}; a one-segment {@code c} becomes
     * {@code ns/c}) or flatten ({@code a/b/c} becomes {@code ns/c}).
     */
    public record Destination(String namespace, PathMode path) {

        public Destination {
            namespace = namespace == null ? "" : namespace;
            path = path == null ? PathMode.KEEP : path;
            if (!namespace.isEmpty() && (namespace.length() > 200 || !namespace.matches(RepositoryName.REGEX))) {
                throw invalid("'destination.namespace' must be a repository path such as \"mirror\" or \"mirror/team\"");
            }
            if (path != PathMode.KEEP && namespace.isEmpty()) {
                throw invalid("'destination.namespace' is needed for the path mapping " + path.jsonName());
            }
        }

        /**
         * The destination repository of a source repository.
         *
         * @throws RegistryException.NameInvalid when the result is no repository name (too long)
         */
        public String map(String source) {
            int first = source.indexOf('/');
            String mapped = switch (path) {
                case KEEP -> source;
                case REPLACE -> namespace + "/" + (first < 0 ? source : source.substring(first + 1));
                case FLATTEN -> namespace + "/" + source.substring(source.lastIndexOf('/') + 1);
            };
            return RepositoryName.parse(mapped).value();
        }
    }

    /** {@code cron} is set exactly for the cron trigger: five fields, or a macro such as {@code @daily}. */
    public record Trigger(TriggerType type, String cron) {

        public Trigger {
            type = type == null ? TriggerType.MANUAL : type;
            cron = cron == null || cron.isBlank() ? null : cron.strip();
            if (type == TriggerType.CRON) {
                if (cron == null) {
                    throw invalid("'trigger.cron' is needed for the cron trigger");
                }
                if (cron.length() > 128) {
                    throw invalid("'trigger.cron' is at most 128 characters");
                }
                try {
                    CronSchedule.parse(cron);
                } catch (IllegalArgumentException e) {
                    throw invalid("'trigger.cron': " + e.getMessage());
                }
            } else if (cron != null) {
                throw invalid("'trigger.cron' is for the cron trigger only");
            }
        }

        public Optional<CronSchedule> schedule() {
            return cron == null ? Optional.empty() : Optional.of(CronSchedule.parse(cron));
        }
    }

    public ReplicationRule {
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(trigger, "trigger");
        checkName(name);
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION) {
            throw invalid("'description' is at most " + MAX_DESCRIPTION + " characters");
        }
        if (direction == null) {
            throw invalid("'direction' must be push or pull");
        }
        if (registry == null || registry.isEmpty()) {
            throw invalid("'registry' must name a registry endpoint");
        }
        if (trigger.type() == TriggerType.EVENT && direction != Direction.PUSH) {
            throw invalid("the event trigger is for push rules only: Berth does not see the other registry's pushes");
        }
        if (replicateDeletion && trigger.type() != TriggerType.EVENT) {
            throw invalid("'replicate_deletion' needs the event trigger: deletions are seen as they happen");
        }
        if (bandwidthKbps < 0 || bandwidthKbps > MAX_BANDWIDTH_KBPS) {
            throw invalid("'bandwidth_kbps' must be 0 (no cap) to " + MAX_BANDWIDTH_KBPS);
        }
    }

    /** @throws RegistryException.InvalidRequest unless {@code [a-z0-9._-]{1,64}} */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("'name' must be 1 to 64 of a-z, 0-9, '.', '_' and '-'");
        }
        return name;
    }

    /** The source repositories' names are matched by the repository glob; the destination's by {@link Destination#map}. */
    public String destinationOf(String sourceRepository) {
        return destination.map(sourceRepository);
    }

    static RegistryException.InvalidRequest invalid(String message) {
        return new RegistryException.InvalidRequest(message);
    }
}
