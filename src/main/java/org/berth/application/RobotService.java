package org.berth.application;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.auth.SecretHasher;
import org.berth.domain.Action;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.Robot;
import org.berth.domain.RobotStore;

/** Robot accounts of a project: created with a secret shown once, listed, disabled, deleted. */
@ApplicationScoped
@Transactional
public class RobotService {

    @Inject
    RobotStore robots;

    /** Robot accounts a project may hold: every list has a cap. */
    static final int MAX_ROBOTS = 100;

    @Inject
    ProjectStore projects;

    /**
     * Creates a robot account with a new secret; only a hash of the secret is stored.
     *
     * @param expiresAt when it stops working; null for never
     */
    public CreatedSecret<Robot> create(String project, String name, Set<Action> actions, Instant expiresAt) {
        existingProject(project);
        if (!Robot.isValidName(name)) {
            throw new RegistryException.InvalidRequest(
                    "invalid robot name: use lower-case letters and digits, separated by . _ or -");
        }
        Instant now = Instant.now();
        Grants.check(actions, expiresAt, now);
        if (robots.list(project).size() >= MAX_ROBOTS) {
            throw new RegistryException.Conflict("project '" + project + "' has " + MAX_ROBOTS
                    + " robot accounts: delete one before you create another", project);
        }
        String secret = SecretGenerator.secret();
        Robot robot = new Robot(project, name, SecretHasher.hash(secret), Set.copyOf(actions), expiresAt, false, now);
        if (!robots.create(robot)) {
            throw new RegistryException.Conflict(
                    "project '" + project + "' already has a robot account '" + name + "'", robot.loginName());
        }
        return new CreatedSecret<>(robot, secret);
    }

    public List<Robot> list(String project) {
        existingProject(project);
        return robots.list(project);
    }

    /** @param robot the robot's name, or its whole login name {@code robot$<project>+<name>} */
    public Robot setDisabled(String project, String robot, boolean disabled) {
        String name = existing(project, robot).name();
        robots.setDisabled(project, name, disabled);
        return robots.find(project, name).orElseThrow();
    }

    /** @param robot the robot's name, or its whole login name {@code robot$<project>+<name>} */
    public void delete(String project, String robot) {
        robots.delete(project, existing(project, robot).name());
    }

    private Robot existing(String project, String robot) {
        existingProject(project);
        String name = Robot.parseLoginName(robot)
                .filter(login -> login.project().equals(project))
                .map(Robot.Login::name)
                .orElse(robot);
        return robots.find(project, name).orElseThrow(() -> new RegistryException.NotFound(
                "project '" + project + "' has no robot account '" + robot + "'", robot));
    }

    private void existingProject(String project) {
        if (projects.find(project).isEmpty()) {
            throw new RegistryException.NotFound("project '" + project + "' not found", project);
        }
    }
}
