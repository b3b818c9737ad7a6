package org.berth.infrastructure.jpa;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.berth.domain.Member;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.Role;
import org.berth.domain.UniqueViolations;

/**
 * Projects in table {@code project}, members in {@code project_member}. Deleting a project
 * leaves its members and robots to the database ({@code ON DELETE CASCADE} in V2__identity.sql).
 *
 * <p>{@link #exists} and {@link #publicProjects} are asked on every /v2 request (push authorization,
 * anonymous and per-account read rights), so their answers are kept for {@link #FACTS_TTL_NANOS}:
 * every write here that can change them (create, setPublic, delete) drops the kept answers at once
 * and again when its transaction completes, so no answer read before the commit outlives it. Writes
 * by another Berth instance on the same database are seen after at most the TTL.
 */
@ApplicationScoped
public class JpaProjectStore implements ProjectStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaAccountStore accounts;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** How long a project's existence and the public-project list are kept: one second. */
    static final long FACTS_TTL_NANOS = 1_000_000_000L;

    private record Kept<T>(T value, long at, long generation) {}

    private final java.util.concurrent.ConcurrentHashMap<String, Kept<Boolean>> existence = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Kept<List<String>> publicNames;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public boolean exists(String name) {
        if (name == null) {
            return false;
        }
        long now = System.nanoTime();
        Kept<Boolean> kept = existence.get(name);
        if (kept != null && fresh(kept, now)) {
            return kept.value();
        }
        long gen = generation.get();
        boolean found = entity(name).isPresent();
        if (existence.size() > 10_000) {
            existence.clear();
        }
        existence.put(name, new Kept<>(found, now, gen));
        return found;
    }

    private boolean fresh(Kept<?> kept, long now) {
        return now - kept.at() < FACTS_TTL_NANOS && kept.generation() == generation.get();
    }

    /** Drops every kept answer now and once more when the current transaction completes. */
    private void changed() {
        generation.incrementAndGet();
        existence.clear();
        publicNames = null;
        if (transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    generation.incrementAndGet();
                    existence.clear();
                    publicNames = null;
                }
            });
        }
    }

    @Override
    public Optional<Project> find(String name) {
        return entity(name).map(ProjectEntity::toDomain);
    }

    @Override
    public Optional<Project> findForUpdate(String name) {
        return em.createQuery("select p from ProjectEntity p where p.name = :name", ProjectEntity.class)
                .setParameter("name", name)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().map(ProjectEntity::toDomain);
    }

    @Override
    public List<Project> list(String nameContains, Collection<String> visibleTo, int offset, int limit) {
        Collection<String> visible = visibleNames(visibleTo);
        if (visible != null && visible.isEmpty()) {
            return List.of();
        }
        TypedQuery<ProjectEntity> q = em.createQuery(
                "select p from ProjectEntity p" + where(nameContains, visible) + " order by p.name", ProjectEntity.class);
        bind(q, nameContains, visible);
        return q.setFirstResult(offset).setMaxResults(limit)
                .getResultList().stream().map(ProjectEntity::toDomain).toList();
    }

    @Override
    public long count(String nameContains, Collection<String> visibleTo) {
        Collection<String> visible = visibleNames(visibleTo);
        if (visible != null && visible.isEmpty()) {
            return 0;
        }
        TypedQuery<Long> q = em.createQuery("select count(p) from ProjectEntity p" + where(nameContains, visible), Long.class);
        bind(q, nameContains, visible);
        return q.getSingleResult();
    }

    /**
     * The public projects plus {@code visibleTo}; null (no filter) when {@code visibleTo} is null.
     * Done by name rather than by a boolean in the query: EclipseLink compares booleans with 1 on
     * H2, which H2 2.x refuses.
     */
    private Collection<String> visibleNames(Collection<String> visibleTo) {
        if (visibleTo == null) {
            return null;
        }
        java.util.Set<String> names = new java.util.HashSet<>(publicProjects());
        names.addAll(visibleTo);
        return names;
    }

    private static String where(String nameContains, Collection<String> visible) {
        List<String> conditions = new java.util.ArrayList<>();
        if (nameContains != null && !nameContains.isEmpty()) {
            conditions.add("p.name like :pattern escape '!'");
        }
        if (visible != null) {
            conditions.add("p.name in :visible");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private static void bind(Query q, String nameContains, Collection<String> visible) {
        if (nameContains != null && !nameContains.isEmpty()) {
            q.setParameter("pattern", "%" + likeLiteral(nameContains.toLowerCase(Locale.ROOT)) + "%");
        }
        if (visible != null) {
            q.setParameter("visible", visible);
        }
    }

    /** Project names may contain {@code _}, a LIKE wildcard: match it literally. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public boolean create(Project project) {
        if (entity(project.name()).isPresent()) {
            return false;
        }
        changed();
        try {
            em.persist(new ProjectEntity(project));
            em.flush();
            return true;
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void setPublic(String name, boolean isPublic) {
        changed();
        entity(name).ifPresent(p -> p.setPublic(isPublic));
    }

    @Override
    public void delete(String name) {
        changed();
        em.createQuery("delete from ProjectEntity p where p.name = :name").setParameter("name", name).executeUpdate();
    }

    @Override
    public List<Member> members(String project) {
        List<Object[]> rows = em.createQuery("select a.username, m.role from ProjectMemberEntity m, AccountEntity a, ProjectEntity p"
                        + " where m.accountId = a.id and m.projectId = p.id and p.name = :project order by a.username", Object[].class)
                .setParameter("project", project)
                .getResultList();
        return rows.stream().map(r -> new Member(project, (String) r[0], Role.valueOf((String) r[1]))).toList();
    }

    @Override
    public Optional<Role> role(String project, String username) {
        return em.createQuery("select m.role from ProjectMemberEntity m, AccountEntity a, ProjectEntity p"
                        + " where m.accountId = a.id and m.projectId = p.id and p.name = :project and a.username = :username", String.class)
                .setParameter("project", project)
                .setParameter("username", username)
                .getResultStream().findFirst().map(Role::valueOf);
    }

    @Override
    public Map<String, Role> roles(String username) {
        List<Object[]> rows = em.createQuery("select p.name, m.role from ProjectMemberEntity m, AccountEntity a, ProjectEntity p"
                        + " where m.accountId = a.id and m.projectId = p.id and a.username = :username order by p.name", Object[].class)
                .setParameter("username", username)
                .getResultList();
        Map<String, Role> roles = new LinkedHashMap<>();
        rows.forEach(r -> roles.put((String) r[0], Role.valueOf((String) r[1])));
        return roles;
    }

    @Override
    public void setRole(String project, String username, Role role) {
        Long projectId = idOf(project).orElseThrow(() -> new IllegalArgumentException("no project " + project));
        Long accountId = accounts.idOf(username).orElseThrow(() -> new IllegalArgumentException("no account " + username));
        ProjectMemberEntity member = em.find(ProjectMemberEntity.class, new ProjectMemberEntity.Key(projectId, accountId));
        if (member == null) {
            em.persist(new ProjectMemberEntity(projectId, accountId, role));
        } else {
            member.setRole(role);
        }
    }

    @Override
    public boolean removeMember(String project, String username) {
        Optional<Long> projectId = idOf(project);
        Optional<Long> accountId = accounts.idOf(username);
        return projectId.isPresent() && accountId.isPresent() && em.createQuery(
                        "delete from ProjectMemberEntity m where m.projectId = :project and m.accountId = :account")
                .setParameter("project", projectId.get())
                .setParameter("account", accountId.get())
                .executeUpdate() > 0;
    }

    @Override
    public List<String> publicProjects() {
        long now = System.nanoTime();
        Kept<List<String>> kept = publicNames;
        if (kept != null && fresh(kept, now)) {
            return kept.value();
        }
        long gen = generation.get();
        List<String> names = List.copyOf(em.createQuery(
                        "select p.name from ProjectEntity p where p.isPublic = :public order by p.name", String.class)
                .setParameter("public", Boolean.TRUE)
                .getResultList());
        publicNames = new Kept<>(names, now, gen);
        return names;
    }

    private Optional<ProjectEntity> entity(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return em.createQuery("select p from ProjectEntity p where p.name = :name", ProjectEntity.class)
                .setParameter("name", name)
                .getResultStream().findFirst();
    }

    Optional<Long> idOf(String project) {
        return entity(project).map(ProjectEntity::id);
    }
}
