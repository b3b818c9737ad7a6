package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.AuditEntry;

/** One row of table {@code audit_entry}; never changed once written. */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity {

    @Id
    @SequenceGenerator(name = "audit_entry_seq", sequenceName = "audit_entry_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_entry_seq")
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant at;

    @Column(nullable = false, length = 255)
    private String username;

    @Column(nullable = false, length = 16)
    private String kind;

    @Column(name = "source_ip", length = 64)
    private String sourceIp;

    @Column(nullable = false, length = 32)
    private String operation;

    @Column(name = "resource_type", nullable = false, length = 32)
    private String resourceType;

    @Column(length = 512)
    private String resource;

    @Column(length = 255)
    private String project;

    @Column(nullable = false)
    private boolean success;

    @Column(length = 1000)
    private String detail;

    protected AuditEntryEntity() {
    }

    AuditEntryEntity(AuditEntry e) {
        this.at = e.at();
        this.username = cut(e.username(), 255);
        this.kind = e.kind().name();
        this.sourceIp = cut(e.sourceIp(), 64);
        this.operation = e.operation().name();
        this.resourceType = e.resourceType();
        this.resource = cut(e.resource(), 512);
        this.project = cut(e.project(), 255);
        this.success = e.success();
        this.detail = e.detail();
    }

    AuditEntry toDomain() {
        return new AuditEntry(id, at, username, AuditEntry.Kind.valueOf(kind), sourceIp,
                AuditEntry.Operation.valueOf(operation), resourceType, resource, project, success, detail);
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
