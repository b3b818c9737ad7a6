package org.berth.domain;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Read models of repositories and artifacts for the administration API, and repository deletion. */
public interface ContentCatalog {

    /**
     * A project's repositories, one page of them.
     *
     * @param nameContains only names containing this, or null
     */
    List<RepositoryInfo> repositories(String project, String nameContains, RepositorySort sort, int offset, int limit);

    long countRepositories(String project, String nameContains);

    Optional<RepositoryInfo> repository(RepositoryName name);

    /** Artifacts of the repository, newest push first. */
    List<ArtifactInfo> artifacts(RepositoryName repository, int offset, int limit);

    long countArtifacts(RepositoryName repository);

    Optional<ArtifactInfo> artifact(RepositoryName repository, Digest digest);

    /**
     * Hands each artifact of the repository that no index of it lists (its images, indexes and
     * referrers, not an index's children) with its tags to {@code each}, a page at a time: what
     * a deletion of the repository deletes, as webhooks and replication see it.
     */
    void eachTopLevelArtifact(RepositoryName repository, BiConsumer<Digest, List<String>> each);

    /** Deletes the repository with its tags, manifests and blob links; false when absent. */
    boolean deleteRepository(RepositoryName repository);

    /** Counts and bytes of the project. */
    ProjectUsage usage(String project);
}
