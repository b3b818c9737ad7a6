package org.berth.infrastructure.jpa;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import org.berth.domain.AuditEntry;
import org.berth.domain.AuditLog;
import org.berth.domain.AuditQuery;

/** The audit log in table {@code audit_entry} (V4); each filter is one indexed condition. */
@ApplicationScoped
public class JpaAuditLog implements AuditLog {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public void append(List<AuditEntry> entries) {
        for (AuditEntry entry : entries) {
            em.persist(new AuditEntryEntity(entry));
        }
        em.flush();
    }

    @Override
    public List<AuditEntry> find(AuditQuery query, int offset, int limit) {
        TypedQuery<AuditEntryEntity> q = em.createQuery(
                "select e from AuditEntryEntity e" + where(query) + " order by e.at desc, e.id desc", AuditEntryEntity.class);
        bind(q, query);
        return q.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                .map(AuditEntryEntity::toDomain).toList();
    }

    @Override
    public long count(AuditQuery query) {
        TypedQuery<Long> q = em.createQuery("select count(e) from AuditEntryEntity e" + where(query), Long.class);
        bind(q, query);
        return q.getSingleResult();
    }

    private static String where(AuditQuery query) {
        List<String> conditions = new ArrayList<>();
        if (query.project() != null) {
            conditions.add("e.project = :project");
        }
        if (query.username() != null) {
            conditions.add("e.username = :username");
        }
        if (query.operation() != null) {
            conditions.add("e.operation = :operation");
        }
        if (query.resource() != null) {
            conditions.add("e.resource like :resource escape '\\'");
        }
        if (query.from() != null) {
            conditions.add("e.at >= :from");
        }
        if (query.to() != null) {
            conditions.add("e.at <= :to");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private static void bind(TypedQuery<?> q, AuditQuery query) {
        if (query.project() != null) {
            q.setParameter("project", query.project());
        }
        if (query.username() != null) {
            q.setParameter("username", query.username());
        }
        if (query.operation() != null) {
            q.setParameter("operation", query.operation().name());
        }
        if (query.resource() != null) {
            q.setParameter("resource", likePrefix(query.resource()));
        }
        if (query.from() != null) {
            q.setParameter("from", query.from());
        }
        if (query.to() != null) {
            q.setParameter("to", query.to());
        }
    }

    /** {@code text%} with the LIKE wildcards of the text escaped. */
    static String likePrefix(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
