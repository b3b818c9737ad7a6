package org.berth.application;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Writes what requests only queued in memory (audit entries, pull counts) once a second, from a
 * container timer that the application owns from its start to its end: never from a request
 * thread, whose context a periodic task must not inherit (a managed scheduled task started from a
 * JAX-RS request broke the container's invocation stack and lost its worker thread on every run).
 * Each writer opens its own transaction per batch; the timer itself runs outside one.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BackgroundFlush {

    private static final Logger LOG = Logger.getLogger(BackgroundFlush.class.getName());

    @Inject
    AuditService audit;

    @Inject
    PullCounter pulls;

    @Inject
    FlushLiveness liveness;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false, info = "berth-flush")
    public synchronized void everySecond() {
        flushAll();
    }

    @PreDestroy
    synchronized void stop() {
        flushAll();
    }

    /** Records each run in {@link FlushLiveness}, so that /health tells when the timer has died. */
    private void flushAll() {
        try {
            audit.flush();
            try {
                pulls.flush();
            } catch (RuntimeException e) {
                liveness.failed(e);
                LOG.log(Level.WARNING, "could not record pull counts; retrying in a second", e);
            }
            liveness.ran();
        } catch (RuntimeException | Error e) {
            liveness.failed(e);
            throw e;
        }
    }
}
