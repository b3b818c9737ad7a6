package org.berth.application;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.auth.AccessController;
import org.berth.auth.Identity;
import org.berth.domain.AccountStore;
import org.berth.domain.Member;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryCatalog;
import org.berth.domain.Role;

/**
 * Projects and their members. Whether the caller may do something is decided by the
 * {@link AccessController} before these are called; listing asks it which projects the caller
 * may see (the same answer the catalog gets).
 */
@ApplicationScoped
@Transactional
public class ProjectService {

    @Inject
    ProjectStore projects;

    @Inject
    AccountStore accounts;

    @Inject
    RepositoryCatalog repositories;

    @Inject
    AccessController accessController;

    /**
     * Creates a project; its creator becomes its project admin.
     *
     * @param creator the creating user's name; null when there is no account to make a member
     */
    public Project create(String name, boolean isPublic, String creator) {
        if (!Project.isValidName(name)) {
            throw new RegistryException.InvalidRequest(
                    "invalid project name: use lower-case letters and digits, separated by . _ __ or -");
        }
        Project project = new Project(name, isPublic, Instant.now());
        if (!projects.create(project)) {
            throw new RegistryException.Conflict("project '" + name + "' already exists", name);
        }
        if (creator != null && accounts.find(creator).isPresent()) {
            projects.setRole(name, creator, Role.PROJECT_ADMIN);
        }
        return project;
    }

    /**
     * The projects {@code viewer} may see, in name order.
     *
     * @param nameContains only names containing this, or null
     */
    public Listing<Project> list(Identity viewer, String nameContains, int offset, int limit) {
        Collection<String> visibleTo = accessController.visibleProjects(viewer);
        return new Listing<>(projects.list(nameContains, visibleTo, offset, limit), projects.count(nameContains, visibleTo));
    }

    public Project get(String name) {
        return projects.find(name).orElseThrow(() -> notFound(name));
    }

    public Project setPublic(String name, boolean isPublic) {
        get(name);
        projects.setPublic(name, isPublic);
        return get(name);
    }

    /**
     * Deletes a project with no repositories, and with it its members and robot accounts.
     * {@code library} stays: it holds every single-component name ({@code nginx}), which a push
     * needs (and which is created only at start).
     */
    public void delete(String name) {
        get(name);
        if (Project.LIBRARY.equals(name)) {
            throw new RegistryException.Conflict("project '" + Project.LIBRARY + "' holds the single-component"
                    + " repository names (such as 'nginx') and cannot be deleted", name);
        }
        if (repositories.anyInProject(name)) {
            throw new RegistryException.Conflict(
                    "project '" + name + "' still has repositories: delete them first", name);
        }
        projects.delete(name);
    }

    public List<Member> members(String project) {
        get(project);
        return projects.members(project);
    }

    public Member addMember(String project, String username, Role role) {
        get(project);
        existingAccount(username);
        if (projects.role(project, username).isPresent()) {
            throw new RegistryException.Conflict(
                    "user '" + username + "' is already a member of project '" + project + "'", username);
        }
        projects.setRole(project, username, role);
        return new Member(project, username, role);
    }

    public Member changeRole(String project, String username, Role role) {
        lockedProject(project);
        Role current = projects.role(project, username).orElseThrow(() -> notAMember(project, username));
        if (current == Role.PROJECT_ADMIN && role != Role.PROJECT_ADMIN) {
            keepAnotherAdmin(project, username, "demoted");
        }
        projects.setRole(project, username, role);
        return new Member(project, username, role);
    }

    /** Removes a member, also a project admin leaving on their own. */
    public void removeMember(String project, String username) {
        lockedProject(project);
        Role current = projects.role(project, username).orElseThrow(() -> notAMember(project, username));
        if (current == Role.PROJECT_ADMIN) {
            keepAnotherAdmin(project, username, "removed");
        }
        if (!projects.removeMember(project, username)) {
            throw notAMember(project, username);
        }
    }

    /**
     * The project, its row locked until the transaction ends: member changes take it first, so
     * that two requests cannot each remove one of the last two project admins.
     */
    private Project lockedProject(String name) {
        return projects.findForUpdate(name).orElseThrow(() -> notFound(name));
    }

    /** Refuses to take the project admin role from the last member who has it. */
    private void keepAnotherAdmin(String project, String username, String what) {
        boolean another = projects.members(project).stream()
                .anyMatch(m -> m.role() == Role.PROJECT_ADMIN && !m.username().equals(username));
        if (!another) {
            throw new RegistryException.Conflict("'" + username + "' is the last project admin of '" + project
                    + "' and cannot be " + what + ": make another member project admin first", username);
        }
    }

    private void existingAccount(String username) {
        if (accounts.find(username).isEmpty()) {
            throw new RegistryException.NotFound("user '" + username + "' not found", username);
        }
    }

    private static RegistryException notFound(String project) {
        return new RegistryException.NotFound("project '" + project + "' not found", project);
    }

    private static RegistryException notAMember(String project, String username) {
        return new RegistryException.NotFound(
                "user '" + username + "' is not a member of project '" + project + "'", username);
    }
}
