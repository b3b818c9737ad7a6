package org.berth.domain;

import java.time.Instant;

/**
 * Filters of an audit-log listing; a null field does not filter.
 *
 * @param project   entries of this project only
 * @param username  entries of this actor only (exact)
 * @param operation entries of this operation only
 * @param resource  entries whose resource starts with this text ({@code team-a/app} matches
 *                  {@code team-a/app:1} and {@code team-a/app@sha256:...})
 * @param from      at or after this instant
 * @param to        before or at this instant
 */
public record AuditQuery(String project, String username, AuditEntry.Operation operation, String resource,
                         Instant from, Instant to) {

    /** The same filters, limited to one project. */
    public AuditQuery inProject(String name) {
        return new AuditQuery(name, username, operation, resource, from, to);
    }
}
