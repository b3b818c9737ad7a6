package org.berth.infrastructure.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.berth.domain.replication.ReplicationExecution;
import org.berth.domain.replication.ReplicationExecution.Status;
import org.berth.domain.replication.ReplicationExecutionStore;
import org.berth.domain.replication.ReplicationTask;

/**
 * Replication executions and tasks (V15) in native SQL that H2 and PostgreSQL both run, as the webhook outbox: a claim is a conditional UPDATE (of
 * two nodes claiming one execution, one changes the row), and what the worker records while it
 * runs commits at once ({@code REQUIRES_NEW}) so that the API shows progress. NULL is written as
 * such in the SQL text: PostgreSQL refuses some typed NULL parameters.
 */
@ApplicationScoped
public class JpaReplicationExecutionStore implements ReplicationExecutionStore {

    private static final String EXECUTION_COLUMNS = "e.id, e.rule_name, e.trigger_type, e.retry_of, e.status,"
            + " e.scope_operation, e.scope_repository, e.scope_reference, e.bytes_total, e.bytes_done, e.error,"
            + " e.stop_requested, e.created_at, e.started_at, e.finished_at";
    private static final String TASK_COLUMNS = "id, execution_id, operation, source_repository, destination_repository,"
            + " tag, digest, status, bytes, duration_ms, message, started_at, finished_at";
    private static final String INTERRUPTED = "interrupted: Berth stopped";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public long createExecution(String rule, ReplicationExecution.Trigger trigger, Long retryOf,
                                Optional<ReplicationExecution.Scope> scope, Instant now) {
        // through JDBC, in the transaction's connection: its generated key is this insert's id, whatever
        // else inserts at the same moment (native JPA queries cannot read an identity back portably)
        String sql = "INSERT INTO replication_execution (rule_name, trigger_type, retry_of, status, scope_operation,"
                + " scope_repository, scope_reference, planned, stop_requested, resumes, bytes_total, bytes_done, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, FALSE, 0, 0, 0, ?)";
        try (PreparedStatement insert = em.unwrap(Connection.class).prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, rule);
            insert.setString(2, trigger.jsonName());
            if (retryOf == null) {
                insert.setNull(3, Types.BIGINT);
            } else {
                insert.setLong(3, retryOf);
            }
            insert.setString(4, Status.PENDING.jsonName());
            insert.setString(5, scope.map(s -> s.operation().jsonName()).orElse(null));
            insert.setString(6, scope.map(ReplicationExecution.Scope::repository).orElse(null));
            insert.setString(7, scope.map(ReplicationExecution.Scope::reference).orElse(null));
            insert.setTimestamp(8, NativeRows.timestamp(now));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new IllegalStateException("the database gave no id for the new replication execution");
                }
                return keys.getLong("id");
            }
        } catch (SQLException e) {
            throw new PersistenceException("could not record a replication execution of rule " + rule, e);
        }
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<ReplicationExecution> execution(long id) {
        List<ReplicationExecution> found = executions("WHERE e.id = ?1", List.of(id), 0, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<ReplicationExecution> executions(String rule, int offset, int limit) {
        return rule == null ? executions("", List.of(), offset, limit)
                : executions("WHERE e.rule_name = ?1", List.of(rule), offset, limit);
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public long countExecutions(String rule) {
        Query q = rule == null ? em.createNativeQuery("SELECT COUNT(*) FROM replication_execution")
                : em.createNativeQuery("SELECT COUNT(*) FROM replication_execution WHERE rule_name = ?1").setParameter(1, rule);
        return NativeRows.number(q.getSingleResult());
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<ReplicationExecution> lastExecution(String rule) {
        List<ReplicationExecution> found = executions("WHERE e.rule_name = ?1", List.of(rule), 0, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<ReplicationExecution> executions(String where, List<Object> params, int offset, int limit) {
        Query q = em.createNativeQuery("SELECT " + EXECUTION_COLUMNS + " FROM replication_execution e " + where
                + " ORDER BY e.id DESC").setFirstResult(offset).setMaxResults(limit);
        NativeRows.bind(q, 1, params);
        List<Object[]> rows = NativeRows.rows(q);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(r -> NativeRows.number(r[0])).toList();
        Map<Long, long[]> counts = new HashMap<>();
        Query grouped = em.createNativeQuery("SELECT execution_id, status, COUNT(*) FROM replication_task WHERE execution_id IN ("
                + NativeRows.placeholders(1, ids.size()) + ") GROUP BY execution_id, status");
        NativeRows.bind(grouped, 1, ids);
        for (Object[] r : NativeRows.rows(grouped)) {
            long[] c = counts.computeIfAbsent(NativeRows.number(r[0]), k -> new long[5]);
            c[ReplicationTask.Status.of((String) r[1]).ordinal()] = NativeRows.number(r[2]);
        }
        List<ReplicationExecution> result = new ArrayList<>();
        for (Object[] r : rows) {
            long id = NativeRows.number(r[0]);
            long[] c = counts.getOrDefault(id, new long[5]);
            Optional<ReplicationExecution.Scope> scope = r[5] == null ? Optional.empty()
                    : Optional.of(new ReplicationExecution.Scope(ReplicationTask.Operation.of((String) r[5]), (String) r[6],
                    (String) r[7]));
            result.add(new ReplicationExecution(id, (String) r[1], ReplicationExecution.Trigger.of((String) r[2]),
                    r[3] == null ? null : NativeRows.number(r[3]), Status.of((String) r[4]), scope,
                    new ReplicationExecution.TaskCounts(c[0], c[1], c[2], c[3], c[4]), NativeRows.number(r[8]),
                    NativeRows.number(r[9]), (String) r[10], bool(r[11]), NativeRows.instant(r[12]),
                    NativeRows.instant(r[13]), NativeRows.instant(r[14])));
        }
        return result;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean active(String rule) {
        return NativeRows.number(em.createNativeQuery("SELECT COUNT(*) FROM replication_execution WHERE rule_name = ?1"
                        + " AND status IN (?2, ?3) AND trigger_type <> ?4")
                .setParameter(1, rule).setParameter(2, Status.PENDING.jsonName()).setParameter(3, Status.RUNNING.jsonName())
                .setParameter(4, ReplicationExecution.Trigger.EVENT.jsonName()).getSingleResult()) > 0;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean requestStop(long id, Instant now) {
        int pending = em.createNativeQuery("UPDATE replication_execution SET status = ?1, stop_requested = TRUE,"
                        + " finished_at = ?2 WHERE id = ?3 AND status = ?4")
                .setParameter(1, Status.STOPPED.jsonName()).setParameter(2, NativeRows.timestamp(now)).setParameter(3, id)
                .setParameter(4, Status.PENDING.jsonName()).executeUpdate();
        if (pending == 1) {
            return true;
        }
        return em.createNativeQuery("UPDATE replication_execution SET stop_requested = TRUE WHERE id = ?1 AND status = ?2")
                .setParameter(1, id).setParameter(2, Status.RUNNING.jsonName()).executeUpdate() == 1;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean stopRequested(long id) {
        List<?> rows = em.createNativeQuery("SELECT stop_requested FROM replication_execution WHERE id = ?1")
                .setParameter(1, id).getResultList();
        return rows.isEmpty() || bool(rows.get(0));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> claimable(Instant now, int limit) {
        List<?> rows = em.createNativeQuery("SELECT id FROM replication_execution WHERE status = ?1"
                        + " OR (status = ?2 AND claimed_until < ?3) ORDER BY id")
                .setParameter(1, Status.PENDING.jsonName()).setParameter(2, Status.RUNNING.jsonName())
                .setParameter(3, NativeRows.timestamp(now)).setMaxResults(limit).getResultList();
        return rows.stream().map(NativeRows::number).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Claim> claim(long id, String node, Instant now, Instant until, int maxResumes) {
        int fresh = em.createNativeQuery("UPDATE replication_execution SET status = ?1, claimed_by = ?2, claimed_until = ?3,"
                        + " started_at = ?4 WHERE id = ?5 AND status = ?6")
                .setParameter(1, Status.RUNNING.jsonName()).setParameter(2, node).setParameter(3, NativeRows.timestamp(until))
                .setParameter(4, NativeRows.timestamp(now)).setParameter(5, id).setParameter(6, Status.PENDING.jsonName())
                .executeUpdate();
        boolean resumed = false;
        if (fresh != 1) {
            // its node died: given up after maxResumes, so that a run that kills Berth is not run for ever
            em.createNativeQuery("UPDATE replication_execution SET status = ?1, error = ?2, finished_at = ?3,"
                            + " claimed_by = NULL, claimed_until = NULL WHERE id = ?4 AND status = ?5 AND claimed_until < ?3"
                            + " AND resumes >= ?6")
                    .setParameter(1, Status.FAILED.jsonName()).setParameter(2, INTERRUPTED)
                    .setParameter(3, NativeRows.timestamp(now)).setParameter(4, id).setParameter(5, Status.RUNNING.jsonName())
                    .setParameter(6, maxResumes).executeUpdate();
            int lapsed = em.createNativeQuery("UPDATE replication_execution SET claimed_by = ?1, claimed_until = ?2,"
                            + " resumes = resumes + 1 WHERE id = ?3 AND status = ?4 AND claimed_until < ?5")
                    .setParameter(1, node).setParameter(2, NativeRows.timestamp(until)).setParameter(3, id)
                    .setParameter(4, Status.RUNNING.jsonName()).setParameter(5, NativeRows.timestamp(now)).executeUpdate();
            if (lapsed != 1) {
                return Optional.empty();
            }
            resumed = true;
        }
        boolean wasResumed = resumed;
        return execution(id).map(e -> new Claim(e, wasResumed));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void renew(List<Long> ids, String node, Instant until) {
        for (List<Long> chunk : NativeRows.chunks(ids)) {
            Query q = em.createNativeQuery("UPDATE replication_execution SET claimed_until = ?1 WHERE claimed_by = ?2"
                    + " AND status = ?3 AND id IN (" + NativeRows.placeholders(4, chunk.size()) + ")");
            q.setParameter(1, NativeRows.timestamp(until)).setParameter(2, node).setParameter(3, Status.RUNNING.jsonName());
            NativeRows.bind(q, 4, chunk);
            q.executeUpdate();
        }
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void plan(long id, List<ReplicationTask.Planned> tasks) {
        em.createNativeQuery("DELETE FROM replication_task WHERE execution_id = ?1").setParameter(1, id).executeUpdate();
        for (ReplicationTask.Planned t : tasks) {
            Query q = em.createNativeQuery("INSERT INTO replication_task (execution_id, operation, source_repository,"
                            + " destination_repository, tag, digest, status, bytes) VALUES (?1, ?2, ?3, ?4, "
                            + (t.tag() == null ? "NULL" : "?5") + ", " + (t.digest() == null ? "NULL" : "?6") + ", ?7, 0)")
                    .setParameter(1, id).setParameter(2, t.operation().jsonName()).setParameter(3, t.sourceRepository())
                    .setParameter(4, t.destinationRepository()).setParameter(7, ReplicationTask.Status.PENDING.jsonName());
            if (t.tag() != null) {
                q.setParameter(5, t.tag());
            }
            if (t.digest() != null) {
                q.setParameter(6, t.digest());
            }
            q.executeUpdate();
        }
        em.createNativeQuery("UPDATE replication_execution SET planned = TRUE WHERE id = ?1").setParameter(1, id).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean planned(long id) {
        List<?> rows = em.createNativeQuery("SELECT planned FROM replication_execution WHERE id = ?1").setParameter(1, id)
                .getResultList();
        return !rows.isEmpty() && bool(rows.get(0));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void resetRunning(long id) {
        em.createNativeQuery("UPDATE replication_task SET status = ?1 WHERE execution_id = ?2 AND status = ?3")
                .setParameter(1, ReplicationTask.Status.PENDING.jsonName()).setParameter(2, id)
                .setParameter(3, ReplicationTask.Status.RUNNING.jsonName()).executeUpdate();
        em.createNativeQuery("UPDATE replication_execution SET bytes_total = (SELECT COALESCE(SUM(t.bytes), 0)"
                        + " FROM replication_task t WHERE t.execution_id = ?1), bytes_done = (SELECT COALESCE(SUM(t.bytes), 0)"
                        + " FROM replication_task t WHERE t.execution_id = ?1) WHERE id = ?1")
                .setParameter(1, id).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<ReplicationTask> pendingTasks(long id, int limit) {
        return tasks(id, ReplicationTask.Status.PENDING, 0, limit);
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void startTask(long task, Instant now) {
        em.createNativeQuery("UPDATE replication_task SET status = ?1, started_at = ?2 WHERE id = ?3")
                .setParameter(1, ReplicationTask.Status.RUNNING.jsonName()).setParameter(2, NativeRows.timestamp(now))
                .setParameter(3, task).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finishTask(long task, ReplicationTask.Status status, String digest, long bytes, long durationMs,
                           String message, Instant now) {
        Query q = em.createNativeQuery("UPDATE replication_task SET status = ?1, digest = " + (digest == null ? "digest" : "?2")
                        + ", bytes = ?3, duration_ms = ?4, message = " + (message == null ? "NULL" : "?5")
                        + ", finished_at = ?6 WHERE id = ?7")
                .setParameter(1, status.jsonName()).setParameter(3, bytes).setParameter(4, durationMs)
                .setParameter(6, NativeRows.timestamp(now)).setParameter(7, task);
        if (digest != null) {
            q.setParameter(2, digest);
        }
        if (message != null) {
            q.setParameter(5, cut(message, ReplicationTask.MAX_MESSAGE));
        }
        q.executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void addBytes(long id, long total, long done) {
        em.createNativeQuery("UPDATE replication_execution SET bytes_total = bytes_total + ?1, bytes_done = bytes_done + ?2"
                + " WHERE id = ?3").setParameter(1, total).setParameter(2, done).setParameter(3, id).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long id, String node, Status status, String error, Instant now) {
        Query q = em.createNativeQuery("UPDATE replication_execution SET status = ?1, error = " + (error == null ? "NULL" : "?2")
                        + ", finished_at = ?3, claimed_by = NULL, claimed_until = NULL WHERE id = ?4 AND claimed_by = ?5")
                .setParameter(1, status.jsonName()).setParameter(3, NativeRows.timestamp(now)).setParameter(4, id)
                .setParameter(5, node);
        if (error != null) {
            q.setParameter(2, cut(error, ReplicationExecution.MAX_ERROR));
        }
        q.executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<ReplicationTask> tasks(long id, ReplicationTask.Status status, int offset, int limit) {
        Query q = em.createNativeQuery("SELECT " + TASK_COLUMNS + " FROM replication_task WHERE execution_id = ?1"
                        + (status == null ? "" : " AND status = ?2") + " ORDER BY id")
                .setParameter(1, id).setFirstResult(offset).setMaxResults(limit);
        if (status != null) {
            q.setParameter(2, status.jsonName());
        }
        return NativeRows.rows(q).stream().map(r -> new ReplicationTask(NativeRows.number(r[0]), NativeRows.number(r[1]),
                ReplicationTask.Operation.of((String) r[2]), (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                ReplicationTask.Status.of((String) r[7]), NativeRows.number(r[8]), r[9] == null ? null : NativeRows.number(r[9]),
                (String) r[10], NativeRows.instant(r[11]), NativeRows.instant(r[12]))).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public long countTasks(long id, ReplicationTask.Status status) {
        Query q = em.createNativeQuery("SELECT COUNT(*) FROM replication_task WHERE execution_id = ?1"
                + (status == null ? "" : " AND status = ?2")).setParameter(1, id);
        if (status != null) {
            q.setParameter(2, status.jsonName());
        }
        return NativeRows.number(q.getSingleResult());
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<ReplicationTask.Planned> unfinishedTasks(long id, int limit) {
        List<Object[]> rows = NativeRows.rows(em.createNativeQuery("SELECT operation, source_repository,"
                        + " destination_repository, tag, digest FROM replication_task WHERE execution_id = ?1"
                        + " AND status IN (?2, ?3) ORDER BY id")
                .setParameter(1, id).setParameter(2, ReplicationTask.Status.FAILED.jsonName())
                .setParameter(3, ReplicationTask.Status.PENDING.jsonName()).setMaxResults(limit));
        return rows.stream().map(r -> new ReplicationTask.Planned(ReplicationTask.Operation.of((String) r[0]), (String) r[1],
                (String) r[2], (String) r[3], (String) r[4])).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int prune(String rule, int keep) {
        // only finished executions go: the statuses are constants of this class, not input
        List<?> old = em.createNativeQuery("SELECT id FROM replication_execution WHERE rule_name = ?1 AND status IN ('"
                        + Status.SUCCEEDED.jsonName() + "', '" + Status.FAILED.jsonName() + "', '" + Status.STOPPED.jsonName()
                        + "') ORDER BY id DESC")
                .setParameter(1, rule).setFirstResult(keep).setMaxResults(1000).getResultList();
        List<Long> ids = old.stream().map(NativeRows::number).toList();
        int pruned = 0;
        for (List<Long> chunk : NativeRows.chunks(ids)) {
            String in = NativeRows.placeholders(1, chunk.size());
            Query tasks = em.createNativeQuery("DELETE FROM replication_task WHERE execution_id IN (" + in + ")");
            NativeRows.bind(tasks, 1, chunk);
            tasks.executeUpdate();
            Query executions = em.createNativeQuery("DELETE FROM replication_execution WHERE id IN (" + in + ")");
            NativeRows.bind(executions, 1, chunk);
            pruned += executions.executeUpdate();
        }
        return pruned;
    }

    private static boolean bool(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<String> upload(String registry, String repository, String digest) {
        List<?> rows = em.createNativeQuery("SELECT location FROM replication_upload"
                        + " WHERE registry_name = ?1 AND repository = ?2 AND digest = ?3")
                .setParameter(1, registry).setParameter(2, repository).setParameter(3, digest).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void saveUpload(String registry, String repository, String digest, String location, Instant now) {
        int updated = em.createNativeQuery("UPDATE replication_upload SET location = ?4, updated_at = ?5"
                        + " WHERE registry_name = ?1 AND repository = ?2 AND digest = ?3")
                .setParameter(1, registry).setParameter(2, repository).setParameter(3, digest)
                .setParameter(4, location).setParameter(5, NativeRows.timestamp(now)).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO replication_upload (registry_name, repository, digest, location, updated_at)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, registry).setParameter(2, repository).setParameter(3, digest)
                    .setParameter(4, location).setParameter(5, NativeRows.timestamp(now)).executeUpdate();
        }
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void forgetUpload(String registry, String repository, String digest) {
        em.createNativeQuery("DELETE FROM replication_upload WHERE registry_name = ?1 AND repository = ?2 AND digest = ?3")
                .setParameter(1, registry).setParameter(2, repository).setParameter(3, digest).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int pruneUploads(Instant before) {
        return em.createNativeQuery("DELETE FROM replication_upload WHERE updated_at < ?1")
                .setParameter(1, NativeRows.timestamp(before)).executeUpdate();
    }
}
