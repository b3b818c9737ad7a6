package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.Project;

@Entity
@Table(name = "project")
public class ProjectEntity {

    @Id
    @SequenceGenerator(name = "project_seq", sequenceName = "project_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "project_seq")
    private Long id;

    @Column(nullable = false, unique = true, length = 255)
    private String name;

    @Column(name = "is_public", nullable = false)
    private boolean isPublic;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** Bytes the project may hold; -1 = unlimited (QuotaStore.UNLIMITED). */
    @Column(name = "quota_bytes", nullable = false)
    private long quotaBytes = -1;

    protected ProjectEntity() {
    }

    ProjectEntity(Project project) {
        this.name = project.name();
        this.isPublic = project.isPublic();
        this.createdAt = project.createdAt();
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    void setPublic(boolean isPublic) {
        this.isPublic = isPublic;
    }

    Project toDomain() {
        return new Project(name, isPublic, createdAt);
    }
}
