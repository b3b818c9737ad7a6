package org.berth.application;

/**
 * The order of the work done when Berth starts, as priorities of observers of
 * {@code @Initialized(ApplicationScoped.class)} (lower runs first): the metadata schema, then what
 * exists from the first start, then the background flush. Plain CDI observers rather than EJB
 * {@code @Startup} singletons, so that Berth does not start Payara's EJB container and timer
 * service for three beans (issue 15).
 */
public final class StartupOrder {

    /** {@code infrastructure.jpa.SchemaMigration}: creates or upgrades the schema. */
    public static final int SCHEMA = 100;
    /** {@link FirstStart}: the system administrator and the project {@code library}. */
    public static final int DEFAULTS = 200;
    /** {@link BackgroundFlush}: starts the once-a-second flush. */
    public static final int BACKGROUND = 300;

    private StartupOrder() {
    }
}
