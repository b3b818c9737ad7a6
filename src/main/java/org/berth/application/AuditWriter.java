package org.berth.application;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.AuditEntry;
import org.berth.domain.AuditLog;

/** Stores one batch of audit entries in one transaction of its own. */
@ApplicationScoped
public class AuditWriter {

    @Inject
    AuditLog log;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void write(List<AuditEntry> batch) {
        log.append(batch);
    }
}
