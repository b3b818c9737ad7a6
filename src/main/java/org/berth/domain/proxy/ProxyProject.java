package org.berth.domain.proxy;

import java.time.Duration;

import org.berth.domain.Project;
import org.berth.domain.RepositoryName;

/**
 * A proxy-cache project: a project whose repositories are a cache of another registry (issue 20).
 * {@code HOST/hub/library/nginx:1.27} is {@code library/nginx:1.27} of the registry endpoint
 * {@code registry}; a manifest pulled by tag is asked of the upstream again once {@code tagTtl}
 * has passed since Berth last checked it.
 */
public record ProxyProject(String project, String registry, Duration tagTtl) {

    /** A tag's manifest is served from the cache this long before the upstream is asked again. */
    public static final Duration DEFAULT_TAG_TTL = Duration.ofMinutes(5);

    /** The longest a tag may go unchecked: a week. */
    public static final Duration MAX_TAG_TTL = Duration.ofDays(7);

    /** Docker Hub's name for single-segment repositories ({@code nginx} is {@code library/nginx}). */
    private static final String DOCKER_HUB_LIBRARY = "library/";

    public ProxyProject {
        if (!Project.isValidName(project) || !Project.isValidName(registry)) {
            throw new IllegalArgumentException("invalid project or registry name");
        }
        if (tagTtl == null || tagTtl.isNegative() || tagTtl.compareTo(MAX_TAG_TTL) > 0) {
            throw new IllegalArgumentException("tag_ttl_seconds must be from 0 to " + MAX_TAG_TTL.toSeconds());
        }
    }

    /**
     * The upstream's name of a repository of this project: the name without the project's segment,
     * with Docker Hub's {@code library/} added to a single segment when the upstream is Docker Hub.
     *
     * @throws IllegalArgumentException when the repository is the project alone ({@code hub})
     */
    public String upstreamRepository(RepositoryName repository, boolean dockerHub) {
        String value = repository.value();
        if (!value.startsWith(project + "/")) {
            throw new IllegalArgumentException("repository " + value + " is not in project " + project);
        }
        String rest = value.substring(project.length() + 1);
        return dockerHub && rest.indexOf('/') < 0 ? DOCKER_HUB_LIBRARY + rest : rest;
    }
}
