package org.berth.domain;

import java.time.Instant;
import java.util.Locale;

/**
 * One line of the audit log: who did what to which resource, in which project, when, with what
 * result.
 *
 * @param id           assigned when stored; null before
 * @param at           when it happened
 * @param username     the account, robot login name ({@code robot$p+n}) or "anonymous"; for a
 *                     failed login the name that was tried
 * @param kind         how the actor authenticated
 * @param sourceIp     the client's address (see the README on proxies), may be null
 * @param operation    what was done
 * @param resourceType {@code artifact}, {@code tag}, {@code repository}, {@code project},
 *                     {@code member}, {@code robot}, {@code user}, {@code token}, {@code quota},
 *                     {@code registry}
 * @param resource     the resource's name, e.g. {@code team-a/app:1.0} or {@code team-a/app@sha256:...}
 * @param project      the project it belongs to; null for system-wide entries (users, logins)
 * @param success      whether it succeeded
 * @param detail       a short explanation (the digest pushed, the error of a failure), may be null
 */
public record AuditEntry(Long id, Instant at, String username, Kind kind, String sourceIp, Operation operation,
                         String resourceType, String resource, String project, boolean success, String detail) {

    /** Longest detail kept; longer ones are cut. */
    public static final int MAX_DETAIL = 1000;

    public AuditEntry {
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL);
        }
    }

    /** How the actor authenticated. */
    public enum Kind {
        USER, ROBOT, TOKEN, ANONYMOUS,
        /** Berth itself: a scheduled garbage collection run. */
        SYSTEM;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What was done; the JSON name is the lower-case constant name. */
    public enum Operation {
        PUSH, PULL, DELETE, TAG_ADD, LOGIN, LOGIN_FAILED,
        PROJECT_CREATE, PROJECT_UPDATE, PROJECT_DELETE,
        MEMBER_ADD, MEMBER_UPDATE, MEMBER_REMOVE,
        ROBOT_CREATE, ROBOT_UPDATE, ROBOT_DELETE,
        USER_CREATE, USER_UPDATE, PASSWORD_CHANGE,
        TOKEN_CREATE, TOKEN_REVOKE, QUOTA_UPDATE,
        /** A garbage collection run: one entry per run, with its counts and bytes. */
        GC,
        /** Immutable-tag rules of a project: made, changed, lifted (only a system administrator lifts one). */
        IMMUTABLE_RULE_CREATE, IMMUTABLE_RULE_UPDATE, IMMUTABLE_RULE_DELETE,
        /** A project's retention policy changed; a retention run (one entry per run, with what it deleted). */
        RETENTION_UPDATE, RETENTION_RUN,
        /** Registry endpoints (issue 20), by a system administrator; the entry names the endpoint, never its password. */
        REGISTRY_CREATE, REGISTRY_UPDATE, REGISTRY_DELETE,
        /** A project's webhooks (issue 21); the entry names the webhook, never its secret or Authorization header. */
        WEBHOOK_CREATE, WEBHOOK_UPDATE, WEBHOOK_DELETE,
        /** Replication rules (issue 21), by a system administrator, and the executions they start, retry or stop. */
        REPLICATION_RULE_CREATE, REPLICATION_RULE_UPDATE, REPLICATION_RULE_DELETE,
        REPLICATION_START, REPLICATION_RETRY, REPLICATION_STOP,
        /** An artifact of a full proxy project deleted to make room for a pull (issue 20), by Berth itself. */
        EVICT;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for a name that is no operation */
        public static Operation fromJson(String name) {
            for (Operation op : values()) {
                if (op.jsonName().equals(name)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown operation '" + name + "'");
        }
    }
}
