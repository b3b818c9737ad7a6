package org.berth.infrastructure.jpa;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.berth.domain.Role;

/** A user's role in a project; the role is stored by its enum name ({@code PROJECT_ADMIN} ...). */
@Entity
@Table(name = "project_member")
@IdClass(ProjectMemberEntity.Key.class)
public class ProjectMemberEntity {

    @Id
    @Column(name = "project_id")
    private Long projectId;

    @Id
    @Column(name = "account_id")
    private Long accountId;

    @Column(nullable = false, length = 32)
    private String role;

    protected ProjectMemberEntity() {
    }

    ProjectMemberEntity(Long projectId, Long accountId, Role role) {
        this.projectId = projectId;
        this.accountId = accountId;
        this.role = role.name();
    }

    void setRole(Role role) {
        this.role = role.name();
    }

    Role role() {
        return Role.valueOf(role);
    }

    public static class Key implements Serializable {
        private Long projectId;
        private Long accountId;

        public Key() {
        }

        Key(Long projectId, Long accountId) {
            this.projectId = projectId;
            this.accountId = accountId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(projectId, k.projectId) && Objects.equals(accountId, k.accountId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(projectId, accountId);
        }
    }
}
