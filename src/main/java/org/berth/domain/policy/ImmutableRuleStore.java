package org.berth.domain.policy;

import java.util.List;
import java.util.Optional;

import org.berth.domain.Project;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;

/** The immutable-tag rules of every project. */
public interface ImmutableRuleStore {

    /** The rules of the project, enabled and disabled, oldest first. */
    List<ImmutableRule> rules(String project);

    Optional<ImmutableRule> find(String project, long id);

    /**
     * Adds a rule ({@code id} and {@code createdAt} of the argument are ignored).
     *
     * @throws org.berth.domain.RegistryException.Conflict when the project has a rule of that name
     */
    ImmutableRule create(ImmutableRule rule);

    /** Lifts the rule for now ({@code disabled}) or restores it; empty when there is no such rule. */
    Optional<ImmutableRule> setDisabled(String project, long id, boolean disabled);

    /** @return false when there was no such rule */
    boolean delete(String project, long id);

    /** The first enabled rule of the repository's project that protects the tag. */
    default Optional<ImmutableRule> ruleFor(RepositoryName repository, Tag tag) {
        return rules(Project.of(repository)).stream().filter(r -> r.protects(repository, tag)).findFirst();
    }
}
