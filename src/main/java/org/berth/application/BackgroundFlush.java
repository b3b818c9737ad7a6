package org.berth.application;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Writes what requests only queued in memory (audit entries, pull counts) once a second, from a
 * task of the container's managed scheduled executor that the application starts when it starts
 * and stops when it stops: never from a request thread, whose context a periodic task must not
 * inherit (a managed scheduled task started from a JAX-RS request broke the container's invocation
 * stack and lost its worker thread on every run). Each writer opens its own transaction per
 * batch; the task itself runs outside one. The last flush runs when the application stops, or
 * when the JVM exits without stopping it (SIGTERM to Payara Micro).
 */
@ApplicationScoped
public class BackgroundFlush {

    private static final Logger LOG = Logger.getLogger(BackgroundFlush.class.getName());

    @Inject
    AuditService audit;

    @Inject
    PullCounter pulls;

    @Inject
    FlushLiveness liveness;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource(lookup = "java:comp/DefaultContextService")
    ContextService contextService;

    private ScheduledFuture<?> task;
    private Thread shutdownHook;

    synchronized void start(@Observes @Priority(StartupOrder.BACKGROUND) @Initialized(ApplicationScoped.class) Object started) {
        // fixed delay: a slow flush (a busy database) is never run twice at once nor queued up behind itself
        task = scheduler.scheduleWithFixedDelay(this::everySecond, 1, 1, TimeUnit.SECONDS);
        // Payara Micro stopped by SIGTERM (docker stop) exits without destroying the application's
        // beans: write what is queued, audit entries and pull counts, from a JVM shutdown hook run
        // with the application's context.
        Runnable flushAtExit = contextService.createContextualProxy((Runnable) this::flushAtExit, Runnable.class);
        shutdownHook = new Thread(flushAtExit, "berth-flush-at-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    synchronized void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException | NullPointerException e) {
            // the JVM is already exiting (the hook runs), or start() never ran
        }
        flushAll();
    }

    private synchronized void flushAtExit() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        flushAll();
    }

    private synchronized void everySecond() {
        try {
            flushAll();
        } catch (RuntimeException | Error e) {
            // already recorded in FlushLiveness; thrown on, it would end the schedule for good
            LOG.log(Level.WARNING, "background flush failed; retrying in a second", e);
        }
    }

    /** Records each run in {@link FlushLiveness}, so that /health tells when the flush has stopped working. */
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
