package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.RunTrigger;
import org.berth.domain.RegistryException;
import org.berth.domain.gc.GcOptions;
import org.berth.domain.gc.GcRun;
import org.berth.domain.gc.GcRunStore;

/** {@link GcRunStore} on {@code gc_run}, with {@code gc_lock}'s one row as the lock of {@link #begin}. */
@ApplicationScoped
@Transactional
public class JpaGcRunStore implements GcRunStore {

    private static final String RUNNING = GcRun.State.RUNNING.jsonName();

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public GcRun begin(GcOptions options, RunTrigger trigger, String startedBy, String startedByKind, Instant now,
                       Instant staleBefore) {
        // held to the end of the transaction: a second begin waits here, then finds this run
        em.createNativeQuery("SELECT id FROM gc_lock WHERE id = 1 FOR UPDATE").getResultList();
        interruptStale(staleBefore, now);
        Optional<GcRun> running = running();
        if (running.isPresent()) {
            GcRun r = running.get();
            throw new RegistryException.Conflict("garbage collection run " + r.id() + " is running (started "
                    + r.startedAt() + " by " + r.startedBy() + "); cancel it or wait for it to end", String.valueOf(r.id()));
        }
        if (trigger == RunTrigger.SCHEDULE && !em.createQuery("select r.id from GcRunEntity r where r.trigger = :schedule"
                        + " and r.startedAt > :since", Long.class)
                .setParameter("schedule", RunTrigger.SCHEDULE.jsonName())
                .setParameter("since", now.minus(RunTrigger.SAME_OCCURRENCE)).setMaxResults(1).getResultList().isEmpty()) {
            throw new RegistryException.Conflict("the scheduled garbage collection run of " + now
                    + " was begun by another server", null);
        }
        GcRunEntity e = GcRunEntity.begun(trigger.jsonName(), options.dryRun(), options.deleteUntagged(), startedBy,
                startedByKind, now, GcRun.Phase.STARTING, GcReportJson.write(GcRun.Report.empty()));
        em.persist(e);
        em.flush();
        return toDomain(e);
    }

    @Override
    public void update(GcRun run, Instant now) {
        GcRunEntity e = em.find(GcRunEntity.class, run.id());
        if (e == null || e.ended()) {
            return; // marked interrupted by another server: cancelRequested tells the run to stop
        }
        GcRun.Progress p = run.progress();
        e.update(run.state().jsonName(), run.endedAt(), now, p.phase(), p.phaseScanned(), p.phaseTotal(), p.scanned(),
                p.deleted(), p.freedBytes(), GcReportJson.write(run.report()));
    }

    @Override
    public boolean cancelRequested(long id) {
        // a run another server marked interrupted stops too: one run at a time, also after a long pause
        return em.createQuery("select r.cancelRequested, r.state from GcRunEntity r where r.id = :id", Object[].class)
                .setParameter("id", id).getResultStream().findFirst()
                .map(row -> Boolean.TRUE.equals(row[0]) || !RUNNING.equals(row[1])).orElse(false);
    }

    @Override
    public Optional<GcRun> requestCancel() {
        Optional<GcRunEntity> running = runningEntity();
        running.ifPresent(GcRunEntity::requestCancel);
        return running.map(JpaGcRunStore::toDomain);
    }

    @Override
    public Optional<GcRun> running() {
        return runningEntity().map(JpaGcRunStore::toDomain);
    }

    private Optional<GcRunEntity> runningEntity() {
        return em.createQuery("select r from GcRunEntity r where r.state = :state order by r.id desc", GcRunEntity.class)
                .setParameter("state", RUNNING).setMaxResults(1).getResultStream().findFirst();
    }

    @Override
    public Optional<GcRun> find(long id) {
        return Optional.ofNullable(em.find(GcRunEntity.class, id)).map(JpaGcRunStore::toDomain);
    }

    @Override
    public List<GcRun> history(int offset, int limit) {
        return em.createQuery("select r from GcRunEntity r order by r.id desc", GcRunEntity.class)
                .setFirstResult(offset).setMaxResults(limit)
                .getResultList().stream().map(JpaGcRunStore::toDomain).toList();
    }

    @Override
    public long count() {
        return em.createQuery("select count(r) from GcRunEntity r", Long.class).getSingleResult();
    }

    @Override
    public int interruptStale(Instant staleBefore, Instant now) {
        List<GcRunEntity> stale = em.createQuery("select r from GcRunEntity r where r.state = :state and r.heartbeatAt < :before",
                        GcRunEntity.class)
                .setParameter("state", RUNNING).setParameter("before", staleBefore).getResultList();
        stale.forEach(GcRunEntity::interrupted);
        if (!stale.isEmpty()) {
            em.flush();
        }
        return stale.size();
    }

    @Override
    public void prune(int keep) {
        List<Long> kept = em.createQuery("select r.id from GcRunEntity r order by r.id desc", Long.class)
                .setMaxResults(keep).getResultList();
        if (kept.size() < keep) {
            return;
        }
        long oldestKept = kept.get(kept.size() - 1);
        em.createQuery("delete from GcRunEntity r where r.id < :oldest and r.state <> :state")
                .setParameter("oldest", oldestKept).setParameter("state", RUNNING).executeUpdate();
    }

    private static GcRun toDomain(GcRunEntity e) {
        return new GcRun(e.id, GcRun.State.of(e.state), RunTrigger.of(e.trigger), new GcOptions(e.dryRun, e.deleteUntagged),
                e.startedBy, e.startedByKind, e.startedAt, e.endedAt, e.cancelRequested,
                new GcRun.Progress(e.phase, e.phaseScanned, e.phaseTotal, e.scanned, e.deleted, e.freedBytes),
                GcReportJson.read(e.report));
    }
}
