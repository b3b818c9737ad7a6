package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationRuleStore;

/**
 * Replication rules through {@link ReplicationRuleEntity}. The cron trigger's occurrence moves by
 * a conditional UPDATE (one node of a cluster starts it); deleting a rule deletes its executions
 * and tasks in the same transaction.
 */
@ApplicationScoped
public class JpaReplicationRuleStore implements ReplicationRuleStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean create(ReplicationRule rule, Instant nextCronAt) {
        if (em.find(ReplicationRuleEntity.class, rule.name()) != null) {
            return false;
        }
        em.persist(new ReplicationRuleEntity(rule, nextCronAt));
        em.flush();
        return true;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<ReplicationRule> find(String name) {
        return Optional.ofNullable(em.find(ReplicationRuleEntity.class, name)).map(ReplicationRuleEntity::toDomain);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lock(String name) {
        return !em.createNativeQuery("SELECT name FROM replication_rule WHERE name = ?1 FOR UPDATE")
                .setParameter(1, name).getResultList().isEmpty();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<ReplicationRule> list(int offset, int limit) {
        return em.createQuery("select r from ReplicationRuleEntity r order by r.name", ReplicationRuleEntity.class)
                .setFirstResult(offset).setMaxResults(limit)
                .getResultList().stream().map(ReplicationRuleEntity::toDomain).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public long count() {
        return em.createQuery("select count(r) from ReplicationRuleEntity r", Long.class).getSingleResult();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean update(ReplicationRule rule, Instant nextCronAt) {
        ReplicationRuleEntity entity = em.find(ReplicationRuleEntity.class, rule.name());
        if (entity == null) {
            return false;
        }
        entity.set(rule, nextCronAt);
        return true;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean delete(String name) {
        // tasks and executions go by ON DELETE CASCADE; said here too, for a reader of this method
        em.createNativeQuery("DELETE FROM replication_task WHERE execution_id IN"
                + " (SELECT id FROM replication_execution WHERE rule_name = ?1)").setParameter(1, name).executeUpdate();
        em.createNativeQuery("DELETE FROM replication_execution WHERE rule_name = ?1").setParameter(1, name).executeUpdate();
        return em.createNativeQuery("DELETE FROM replication_rule WHERE name = ?1").setParameter(1, name).executeUpdate() == 1;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<ReplicationRule> eventRules() {
        return em.createQuery("select r from ReplicationRuleEntity r where r.triggerType = 'event' and r.enabled = true"
                        + " and r.direction = 'push' order by r.name", ReplicationRuleEntity.class)
                .setMaxResults(1000)
                .getResultList().stream().map(ReplicationRuleEntity::toDomain).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<CronDue> cronDue(Instant now) {
        return em.createQuery("select r from ReplicationRuleEntity r where r.triggerType = 'cron' and r.enabled = true"
                        + " and r.nextCronAt <= :now order by r.name", ReplicationRuleEntity.class)
                .setParameter("now", now).setMaxResults(1000)
                .getResultList().stream().map(r -> new CronDue(r.toDomain(), r.nextCronAt())).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean advanceCron(String rule, Instant expected, Instant next) {
        Query q = em.createNativeQuery("UPDATE replication_rule SET next_cron_at = " + (next == null ? "NULL" : "?3")
                        + " WHERE name = ?1 AND next_cron_at = ?2")
                .setParameter(1, rule).setParameter(2, NativeRows.timestamp(expected));
        if (next != null) {
            q.setParameter(3, NativeRows.timestamp(next));
        }
        return q.executeUpdate() == 1;
    }
}
