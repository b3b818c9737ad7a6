package org.berth.infrastructure.jpa;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.berth.domain.Robot;
import org.berth.domain.RobotStore;
import org.berth.domain.UniqueViolations;

/** Robot accounts in table {@code robot}, unique by project and name. */
@ApplicationScoped
public class JpaRobotStore implements RobotStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaProjectStore projects;

    @Override
    public Optional<Robot> find(String project, String name) {
        return entity(project, name).map(r -> r.toDomain(project));
    }

    @Override
    public List<Robot> list(String project) {
        return em.createQuery("select r from RobotEntity r, ProjectEntity p"
                        + " where r.projectId = p.id and p.name = :project order by r.name", RobotEntity.class)
                .setParameter("project", project)
                .getResultList().stream().map(r -> r.toDomain(project)).toList();
    }

    @Override
    public boolean create(Robot robot) {
        Long projectId = projects.idOf(robot.project())
                .orElseThrow(() -> new IllegalArgumentException("no project " + robot.project()));
        if (entity(robot.project(), robot.name()).isPresent()) {
            return false;
        }
        try {
            em.persist(new RobotEntity(projectId, robot));
            em.flush();
            return true;
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void setDisabled(String project, String name, boolean disabled) {
        entity(project, name).ifPresent(r -> r.setDisabled(disabled));
    }

    @Override
    public boolean delete(String project, String name) {
        Optional<RobotEntity> robot = entity(project, name);
        robot.ifPresent(em::remove);
        return robot.isPresent();
    }

    private Optional<RobotEntity> entity(String project, String name) {
        return em.createQuery("select r from RobotEntity r, ProjectEntity p"
                        + " where r.projectId = p.id and p.name = :project and r.name = :name", RobotEntity.class)
                .setParameter("project", project)
                .setParameter("name", name)
                .getResultStream().findFirst();
    }
}
