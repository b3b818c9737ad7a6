package org.berth.domain.policy;

import java.time.Instant;

import org.berth.domain.Project;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;

/**
 * A project's immutable-tag rule: a tag that its selectors match, once it exists, can neither
 * move to another digest nor be deleted (by tag, by its artifact's digest, with its repository),
 * by anyone and by retention, until a system administrator lifts the rule.
 *
 * @param id         the rule's id, unique across projects
 * @param project    the project it belongs to
 * @param name       unique in the project: what refusals quote ({@code rule 'releases'})
 * @param disabled   lifted for now by a system administrator (the rule stays listed)
 * @param createdBy  the username that made it
 */
public record ImmutableRule(long id, String project, String name, Selector repository, Selector tag,
                            boolean disabled, Instant createdAt, String createdBy) {

    /** Rules a project may have. */
    public static final int MAX_PER_PROJECT = 15;

    /** Longest rule name. */
    public static final int MAX_NAME = 64;

    /** Whether this rule, while enabled, protects {@code tag} of {@code repository}. */
    public boolean protects(RepositoryName repository, Tag tag) {
        return !disabled && project.equals(Project.of(repository))
                && this.repository.selects(Selector.repositoryPath(project, repository.value()))
                && this.tag.selects(tag.value());
    }
}
