package org.berth.application.policy;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.ImmutableRuleStore;
import org.berth.domain.policy.Selector;

/**
 * A project's immutable-tag rules, as the administration API manages them. Whether the caller may
 * is decided by the {@code AccessController} before these are called: maintainers read, project
 * admins add, only a system administrator lifts (disables) or deletes a rule.
 */
@ApplicationScoped
@Transactional
public class ImmutableRuleService {

    @Inject
    ImmutableRuleStore rules;

    @Inject
    ProjectStore projects;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ImmutableRule> list(String project) {
        if (projects.find(project).isEmpty()) {
            throw projectNotFound(project);
        }
        return rules.rules(project);
    }

    /**
     * Adds an enabled rule. The project's row is locked meanwhile, so that two requests cannot both
     * find room for the {@link ImmutableRule#MAX_PER_PROJECT}th rule.
     */
    public ImmutableRule create(String project, String name, Selector repository, Selector tag, String createdBy) {
        checkName(name);
        projects.findForUpdate(project).orElseThrow(() -> projectNotFound(project));
        if (rules.rules(project).size() >= ImmutableRule.MAX_PER_PROJECT) {
            throw new RegistryException.InvalidRequest("project '" + project + "' already has "
                    + ImmutableRule.MAX_PER_PROJECT + " immutable-tag rules, the most a project may have");
        }
        return rules.create(new ImmutableRule(0, project, name, repository, tag, false, null, createdBy));
    }

    /** Lifts the rule ({@code disabled}) or restores it. */
    public ImmutableRule setDisabled(String project, long id, boolean disabled) {
        return rules.setDisabled(project, id, disabled).orElseThrow(() -> ruleNotFound(project, id));
    }

    public void delete(String project, long id) {
        if (!rules.delete(project, id)) {
            throw ruleNotFound(project, id);
        }
    }

    /** A name refusals can quote: 1 to {@link ImmutableRule#MAX_NAME} characters, no control characters, not padded. */
    private static void checkName(String name) {
        if (name.isBlank() || name.length() > ImmutableRule.MAX_NAME || !name.strip().equals(name)
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new RegistryException.InvalidRequest("'name' must be 1 to " + ImmutableRule.MAX_NAME
                    + " characters, without control characters or leading and trailing spaces");
        }
    }

    private static RegistryException projectNotFound(String project) {
        return new RegistryException.NotFound("project '" + project + "' not found", project);
    }

    private static RegistryException ruleNotFound(String project, long id) {
        return new RegistryException.NotFound("project '" + project + "' has no immutable-tag rule " + id, String.valueOf(id));
    }
}
