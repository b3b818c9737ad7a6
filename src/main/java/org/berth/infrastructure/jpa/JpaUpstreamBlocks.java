package org.berth.infrastructure.jpa;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.proxy.UpstreamBlocks;

/** {@link UpstreamBlocks} on {@code upstream_block} (V13); each change is a transaction of its own. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class JpaUpstreamBlocks implements UpstreamBlocks {

    private static final int ERROR_LENGTH = 512;

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Block> find(String registry) {
        List<?> rows = em.createNativeQuery("SELECT blocked_until, reason, last_error FROM upstream_block WHERE registry_name = ?1")
                .setParameter(1, registry).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] row = (Object[]) r;
            return new Block(registry, NativeRows.instant(row[0]), (String) row[1], (String) row[2]);
        });
    }

    @Override
    public void block(Block block) {
        String error = block.lastError() == null || block.lastError().length() <= ERROR_LENGTH ? block.lastError()
                : block.lastError().substring(0, ERROR_LENGTH);
        int updated = em.createNativeQuery("UPDATE upstream_block SET blocked_until = ?1, reason = ?2, last_error = ?3"
                        + " WHERE registry_name = ?4")
                .setParameter(1, NativeRows.timestamp(block.until())).setParameter(2, block.reason())
                .setParameter(3, error).setParameter(4, block.registry()).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO upstream_block (registry_name, blocked_until, reason, last_error)"
                            + " VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, block.registry()).setParameter(2, NativeRows.timestamp(block.until()))
                    .setParameter(3, block.reason()).setParameter(4, error).executeUpdate();
        }
    }

    @Override
    public void clear(String registry) {
        em.createNativeQuery("DELETE FROM upstream_block WHERE registry_name = ?1").setParameter(1, registry).executeUpdate();
    }
}
