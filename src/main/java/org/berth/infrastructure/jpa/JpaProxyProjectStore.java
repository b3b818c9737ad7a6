package org.berth.infrastructure.jpa;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.proxy.ProxyProject;
import org.berth.domain.proxy.ProxyProjectStore;

/** {@link ProxyProjectStore} on {@code proxy_project} (V13). */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class JpaProxyProjectStore implements ProxyProjectStore {

    private static final String SELECT = "SELECT project_name, registry_name, tag_ttl_seconds FROM proxy_project";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<ProxyProject> find(String project) {
        List<?> rows = em.createNativeQuery(SELECT + " WHERE project_name = ?1").setParameter(1, project).getResultList();
        return rows.stream().findFirst().map(r -> row((Object[]) r));
    }

    @Override
    public Map<String, ProxyProject> all() {
        Map<String, ProxyProject> all = new LinkedHashMap<>();
        for (Object r : em.createNativeQuery(SELECT + " ORDER BY project_name").getResultList()) {
            ProxyProject p = row((Object[]) r);
            all.put(p.project(), p);
        }
        return all;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void save(ProxyProject proxy) {
        em.createNativeQuery("INSERT INTO proxy_project (project_name, registry_name, tag_ttl_seconds) VALUES (?1, ?2, ?3)")
                .setParameter(1, proxy.project()).setParameter(2, proxy.registry())
                .setParameter(3, (int) proxy.tagTtl().toSeconds()).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void setTagTtl(String project, Duration tagTtl) {
        em.createNativeQuery("UPDATE proxy_project SET tag_ttl_seconds = ?1 WHERE project_name = ?2")
                .setParameter(1, (int) tagTtl.toSeconds()).setParameter(2, project).executeUpdate();
    }

    @Override
    public boolean usesRegistry(String registry) {
        return !em.createNativeQuery("SELECT 1 FROM proxy_project WHERE registry_name = ?1")
                .setParameter(1, registry).setMaxResults(1).getResultList().isEmpty();
    }

    private static ProxyProject row(Object[] r) {
        return new ProxyProject((String) r[0], (String) r[1], Duration.ofSeconds(NativeRows.number(r[2])));
    }
}
