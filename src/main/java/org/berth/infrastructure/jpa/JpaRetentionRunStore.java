package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.RunTrigger;
import org.berth.domain.RegistryException;
import org.berth.domain.retention.RetentionRun;
import org.berth.domain.retention.RetentionRunStore;

/**
 * {@link RetentionRunStore} on {@code retention_run}; {@link #begin} holds the project's
 * {@code retention_policy} row as the lock that lets a project run one run at a time.
 */
@ApplicationScoped
@Transactional
public class JpaRetentionRunStore implements RetentionRunStore {

    private static final String RUNNING = RetentionRun.State.RUNNING.jsonName();

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaRetentionPolicyStore policies;

    @Override
    public RetentionRun begin(String project, RunTrigger trigger, String startedBy, String startedByKind, String rules,
                              Instant now, Instant staleBefore) {
        Long projectId = policies.projectId(project)
                .orElseThrow(() -> new RegistryException.NotFound("project '" + project + "' not found", project));
        // held to the end of the transaction: a second begin for the project waits here, then finds this run
        if (em.createNativeQuery("SELECT project_id FROM retention_policy WHERE project_id = ?1 FOR UPDATE")
                .setParameter(1, projectId).getResultList().isEmpty()) {
            throw new RegistryException.Conflict("project '" + project + "' has no retention policy", project);
        }
        interruptStale(staleBefore, now);
        Optional<RetentionRunEntity> running = em.createQuery("select r from RetentionRunEntity r"
                        + " where r.projectId = :project and r.state = :state", RetentionRunEntity.class)
                .setParameter("project", projectId).setParameter("state", RUNNING).setMaxResults(1).getResultStream().findFirst();
        if (running.isPresent()) {
            RetentionRunEntity r = running.get();
            throw new RegistryException.Conflict("retention run " + r.id + " of project '" + project + "' is running (started "
                    + r.startedAt + " by " + r.startedBy + "); wait for it to end", String.valueOf(r.id));
        }
        if (trigger == RunTrigger.SCHEDULE && !em.createQuery("select r.id from RetentionRunEntity r"
                        + " where r.projectId = :project and r.trigger = :schedule and r.startedAt > :since", Long.class)
                .setParameter("project", projectId).setParameter("schedule", RunTrigger.SCHEDULE.jsonName())
                .setParameter("since", now.minus(RunTrigger.SAME_OCCURRENCE)).setMaxResults(1).getResultList().isEmpty()) {
            throw new RegistryException.Conflict("the scheduled retention run of project '" + project + "' of " + now
                    + " was begun by another server", project);
        }
        RetentionRunEntity e = RetentionRunEntity.begun(projectId, trigger.jsonName(), startedBy, startedByKind, rules, now,
                RetentionReportJson.write(RetentionRun.Report.empty(rules)));
        em.persist(e);
        em.flush();
        prune(projectId, e.id);
        return toDomain(e, project);
    }

    /** Keeps the project's newest {@link RetentionRun#HISTORY} runs (the one just begun among them). */
    private void prune(Long projectId, long newest) {
        List<Long> kept = em.createQuery("select r.id from RetentionRunEntity r where r.projectId = :project order by r.id desc",
                        Long.class)
                .setParameter("project", projectId).setMaxResults(RetentionRun.HISTORY).getResultList();
        if (kept.size() < RetentionRun.HISTORY) {
            return;
        }
        em.createQuery("delete from RetentionRunEntity r where r.projectId = :project and r.id < :oldest and r.state <> :state")
                .setParameter("project", projectId).setParameter("oldest", kept.get(kept.size() - 1))
                .setParameter("state", RUNNING).executeUpdate();
    }

    @Override
    public void update(RetentionRun run, Instant now) {
        RetentionRunEntity e = em.find(RetentionRunEntity.class, run.id());
        if (e == null || e.ended()) {
            return; // marked interrupted by another server: it is not made running again
        }
        RetentionRun.Report r = run.report();
        e.update(run.state().jsonName(), run.endedAt(), now, r.artifactsDeleted(), r.tagsDeleted(), r.skipped(), r.freedBytes(),
                r.errorCount(), r.gcRun(), RetentionReportJson.write(r));
    }

    @Override
    public Optional<RetentionRun> find(String project, long id) {
        return policies.projectId(project).flatMap(projectId -> Optional.ofNullable(em.find(RetentionRunEntity.class, id))
                .filter(e -> e.projectId.equals(projectId)).map(e -> toDomain(e, project)));
    }

    @Override
    public List<RetentionRun> history(String project, int offset, int limit) {
        return em.createQuery("select r from RetentionRunEntity r, ProjectEntity j where j.id = r.projectId and j.name = :name"
                        + " order by r.id desc", RetentionRunEntity.class)
                .setParameter("name", project).setFirstResult(offset).setMaxResults(limit)
                .getResultList().stream().map(e -> toDomain(e, project)).toList();
    }

    @Override
    public long count(String project) {
        return em.createQuery("select count(r) from RetentionRunEntity r, ProjectEntity j where j.id = r.projectId"
                + " and j.name = :name", Long.class).setParameter("name", project).getSingleResult();
    }

    @Override
    public int interruptStale(Instant staleBefore, Instant now) {
        List<RetentionRunEntity> stale = em.createQuery("select r from RetentionRunEntity r where r.state = :state"
                        + " and r.heartbeatAt < :before", RetentionRunEntity.class)
                .setParameter("state", RUNNING).setParameter("before", staleBefore).getResultList();
        stale.forEach(RetentionRunEntity::interrupted);
        if (!stale.isEmpty()) {
            em.flush();
        }
        return stale.size();
    }

    private static RetentionRun toDomain(RetentionRunEntity e, String project) {
        return new RetentionRun(e.id, project, RetentionRun.State.of(e.state), RunTrigger.of(e.trigger), e.startedBy,
                e.startedByKind, e.startedAt, e.endedAt, RetentionReportJson.read(e));
    }
}
