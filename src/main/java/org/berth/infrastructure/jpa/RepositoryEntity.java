package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

@Entity
@Table(name = "repository")
public class RepositoryEntity {

    @Id
    @SequenceGenerator(name = "repository_seq", sequenceName = "repository_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "repository_seq")
    private Long id;

    @Column(nullable = false, unique = true, length = 255)
    private String name;

    @Column(nullable = false, length = 255)
    private String project;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected RepositoryEntity() {
    }

    RepositoryEntity(String name, String project, Instant createdAt) {
        this.name = name;
        this.project = project;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }
}
