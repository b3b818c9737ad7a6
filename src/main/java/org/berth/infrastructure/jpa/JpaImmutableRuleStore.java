package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.berth.domain.RegistryException;
import org.berth.domain.UniqueViolations;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.ImmutableRuleStore;

/**
 * Immutable-tag rules in table {@code immutable_tag_rule}, unique by project and name. Nothing is
 * kept between calls: a push by tag asks for its project's rules once (one indexed query of at
 * most {@link ImmutableRule#MAX_PER_PROJECT} rows), so a rule changed on another Berth instance
 * sharing the database applies to the next push.
 */
@ApplicationScoped
public class JpaImmutableRuleStore implements ImmutableRuleStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaProjectStore projects;

    @Override
    public List<ImmutableRule> rules(String project) {
        return em.createQuery("select r from ImmutableRuleEntity r, ProjectEntity p"
                        + " where r.projectId = p.id and p.name = :project order by r.id", ImmutableRuleEntity.class)
                .setParameter("project", project)
                .getResultList().stream().map(r -> r.toDomain(project)).toList();
    }

    @Override
    public Optional<ImmutableRule> find(String project, long id) {
        return entity(project, id).map(r -> r.toDomain(project));
    }

    @Override
    public ImmutableRule create(ImmutableRule rule) {
        Long projectId = projects.idOf(rule.project())
                .orElseThrow(() -> new IllegalArgumentException("no project " + rule.project()));
        if (rules(rule.project()).stream().anyMatch(r -> r.name().equals(rule.name()))) {
            throw duplicate(rule);
        }
        // seconds, as the API shows them; a TIMESTAMP keeps less than an Instant on some databases
        ImmutableRule toStore = new ImmutableRule(0, rule.project(), rule.name(), rule.repository(), rule.tag(),
                rule.disabled(), Instant.now().truncatedTo(ChronoUnit.SECONDS), rule.createdBy());
        ImmutableRuleEntity entity = new ImmutableRuleEntity(projectId, toStore);
        try {
            em.persist(entity);
            em.flush();
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                throw duplicate(rule);
            }
            throw e;
        }
        return entity.toDomain(rule.project());
    }

    @Override
    public Optional<ImmutableRule> setDisabled(String project, long id, boolean disabled) {
        return entity(project, id).map(r -> {
            r.setDisabled(disabled);
            return r.toDomain(project);
        });
    }

    @Override
    public boolean delete(String project, long id) {
        Optional<ImmutableRuleEntity> rule = entity(project, id);
        rule.ifPresent(em::remove);
        return rule.isPresent();
    }

    private Optional<ImmutableRuleEntity> entity(String project, long id) {
        return em.createQuery("select r from ImmutableRuleEntity r, ProjectEntity p"
                        + " where r.projectId = p.id and p.name = :project and r.id = :id", ImmutableRuleEntity.class)
                .setParameter("project", project)
                .setParameter("id", id)
                .getResultStream().findFirst();
    }

    private static RegistryException.Conflict duplicate(ImmutableRule rule) {
        return new RegistryException.Conflict("project '" + rule.project() + "' already has an immutable-tag rule named '"
                + rule.name() + "'", rule.name());
    }
}
