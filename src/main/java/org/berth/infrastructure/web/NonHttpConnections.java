package org.berth.infrastructure.web;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * Keeps connections that do not speak HTTP out of the server log. docker, podman and skopeo try
 * TLS first on a registry they may also reach over plain HTTP (an insecure registry: the first
 * steps of every operator's guide), so the plain listener reads a TLS ClientHello. Grizzly then
 * fails to send its 400 (it takes the protocol of the answer from the bytes it could not parse)
 * and logs a WARNING with a stack trace of some 25 lines, once per such connection: a few per
 * docker pull, and as many as any anonymous peer cares to open.
 * <p>
 * The filter on Grizzly's filter-chain logger drops exactly those records (an
 * {@code IllegalStateException} "Unknown protocol ..."); every other record of that logger passes
 * (to the filter that was there before, if any). It is taken off again when the application stops.
 */
@ApplicationScoped
public class NonHttpConnections {

    static final String LOGGER = "org.glassfish.grizzly.filterchain.DefaultFilterChain";

    /** Held: java.util.logging keeps loggers weakly, and a logger made anew would have no filter. */
    private static final Logger CHAIN = Logger.getLogger(LOGGER);

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Filter before = CHAIN.getFilter();
        if (!(before instanceof Quiet)) {
            CHAIN.setFilter(new Quiet(before));
        }
    }

    void uninstall(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
        if (CHAIN.getFilter() instanceof Quiet quiet) {
            CHAIN.setFilter(quiet.before);
        }
    }

    /** Whether the record is Grizzly failing to answer bytes that were no HTTP request. */
    static boolean isNonHttp(LogRecord record) {
        Throwable thrown = record.getThrown();
        return thrown instanceof IllegalStateException && thrown.getMessage() != null
                && thrown.getMessage().startsWith("Unknown protocol");
    }

    /** Drops {@link #isNonHttp} records; asks the filter it replaced about the rest. */
    static final class Quiet implements Filter {
        final Filter before;

        Quiet(Filter before) {
            this.before = before;
        }

        @Override
        public boolean isLoggable(LogRecord record) {
            return !isNonHttp(record) && (before == null || before.isLoggable(record));
        }
    }
}
