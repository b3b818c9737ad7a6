package org.berth.infrastructure.jpa;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.RegistryException;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionPolicyStore;
import org.berth.domain.retention.RetentionRulesJson;

/** {@link RetentionPolicyStore} on {@code retention_policy}, one row per project that saved a policy. */
@ApplicationScoped
@Transactional
public class JpaRetentionPolicyStore implements RetentionPolicyStore {

    private static final JsonProvider JSON = JsonProvider.provider();

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<RetentionPolicy> find(String project) {
        return em.createQuery("select p, j.name from RetentionPolicyEntity p, ProjectEntity j"
                        + " where j.id = p.projectId and j.name = :name", Object[].class)
                .setParameter("name", project).getResultStream().findFirst()
                .map(row -> toDomain((RetentionPolicyEntity) row[0], (String) row[1]));
    }

    @Override
    public RetentionPolicy save(RetentionPolicy policy) {
        Long projectId = projectId(policy.project())
                .orElseThrow(() -> new RegistryException.NotFound("project '" + policy.project() + "' not found", policy.project()));
        RetentionPolicyEntity e = em.find(RetentionPolicyEntity.class, projectId);
        boolean isNew = e == null;
        if (isNew) {
            e = new RetentionPolicyEntity(projectId);
        }
        e.update(RetentionRulesJson.write(policy.rules()).toString(), policy.schedule(), policy.enabled(), policy.runGc(),
                policy.updatedAt(), policy.updatedBy());
        if (isNew) {
            em.persist(e);
        }
        return policy;
    }

    @Override
    public List<RetentionPolicy> scheduled() {
        return em.createQuery("select p, j.name from RetentionPolicyEntity p, ProjectEntity j"
                        + " where j.id = p.projectId and p.enabled = true and p.schedule is not null order by j.name", Object[].class)
                .getResultList().stream().map(row -> toDomain((RetentionPolicyEntity) row[0], (String) row[1])).toList();
    }

    Optional<Long> projectId(String project) {
        return em.createQuery("select j.id from ProjectEntity j where j.name = :name", Long.class)
                .setParameter("name", project).getResultStream().findFirst();
    }

    private static RetentionPolicy toDomain(RetentionPolicyEntity e, String project) {
        try (JsonReader reader = JSON.createReader(new StringReader(e.rules))) {
            return new RetentionPolicy(project, RetentionRulesJson.read(reader.readArray()), e.schedule, e.enabled, e.runGc,
                    e.updatedAt, e.updatedBy);
        }
    }
}
