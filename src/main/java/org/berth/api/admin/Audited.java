package org.berth.api.admin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.berth.domain.AuditEntry.Operation;

/**
 * Marks an administration route whose every call, successful or refused, goes to the audit log
 * ({@link AdminAuditFilter}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Audited {

    Operation value();

    /** The resource type: project, member, robot, user, token, repository, artifact, tag, quota. */
    String type();

    /**
     * How the resource is named: path parameters in braces ({@code {project}}), and fields of the
     * JSON request body as {@code {body.name}}; e.g. {@code {name}@{digest}}.
     */
    String resource();
}
