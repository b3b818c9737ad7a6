package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.Action;
import org.berth.domain.Robot;

/** A robot account; {@code actions} is stored as a list such as {@code pull,push}. */
@Entity
@Table(name = "robot")
public class RobotEntity {

    @Id
    @SequenceGenerator(name = "robot_seq", sequenceName = "robot_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "robot_seq")
    private Long id;

    @Column(name = "project_id", nullable = false)
    private Long projectId;

    @Column(nullable = false, length = 255)
    private String name;

    @Column(name = "secret_hash", nullable = false, length = 128)
    private String secretHash;

    @Column(nullable = false, length = 64)
    private String actions;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(nullable = false)
    private boolean disabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected RobotEntity() {
    }

    RobotEntity(Long projectId, Robot robot) {
        this.projectId = projectId;
        this.name = robot.name();
        this.secretHash = robot.secretHash();
        this.actions = Action.toList(robot.actions());
        this.expiresAt = robot.expiresAt();
        this.disabled = robot.disabled();
        this.createdAt = robot.createdAt();
    }

    void setDisabled(boolean disabled) {
        this.disabled = disabled;
    }

    Robot toDomain(String project) {
        return new Robot(project, name, secretHash, Action.parseList(actions), expiresAt, disabled, createdAt);
    }
}
