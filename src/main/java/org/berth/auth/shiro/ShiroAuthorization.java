package org.berth.auth.shiro;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.shiro.subject.Subject;
import org.berth.auth.Challenges;
import org.berth.auth.Identity;
import org.berth.auth.Privilege;
import org.berth.domain.Action;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * Authorization: an authenticated subject and what it asks for, to a decision. The rights
 * themselves come from {@link BerthRealm} (roles within a credential's limits, or a token's
 * claims); this class asks the questions, and is the one place that decides which projects a
 * caller may see: the catalog, the project list and search all use {@link #visibleProjects}.
 */
@ApplicationScoped
public class ShiroAuthorization {

    @Inject
    ProjectStore projects;

    public boolean permitted(Subject subject, RepositoryName name, Set<Action> actions) {
        return actions.isEmpty() || subject.isPermitted(BerthPermission.OnRepository.repository(name.value(), actions));
    }

    public boolean catalog(Subject subject) {
        return subject.isPermitted(new BerthPermission.Catalog());
    }

    /** Whether the subject may know the project exists: it does, and it is public or the subject has a role in it. */
    public boolean knows(Subject subject, String project) {
        return project != null && projects.find(project).isPresent()
                && subject.isPermitted(new BerthPermission.OnProject(project, BerthPermission.OnProject.Level.SEE));
    }

    /**
     * The projects whose repositories the subject may pull from; null means all. Public projects,
     * the projects of the account's roles, a robot's own project: each only as far as the
     * credential's limits let it pull.
     */
    public Set<String> visibleProjects(Subject subject, Identity identity) {
        if (subject.isPermitted(new BerthPermission.OnRepository(null, null, EnumSet.of(Action.PULL)))) {
            return null;
        }
        Set<String> candidates = new LinkedHashSet<>(projects.publicProjects());
        if (identity.project() != null) {
            candidates.add(identity.project());
        }
        if (identity.username() != null) {
            candidates.addAll(projects.roles(identity.username()).keySet());
        }
        Set<String> visible = new TreeSet<>();
        for (String project : candidates) {
            if (subject.isPermitted(BerthPermission.OnRepository.project(project, EnumSet.of(Action.PULL)))) {
                visible.add(project);
            }
        }
        return visible;
    }

    /**
     * Checks an administration privilege. Refusals: 401 for anonymous callers; for a project the
     * caller may not see, the same 404 a missing project gets; 403 otherwise.
     */
    public void check(Subject subject, Identity identity, Privilege privilege, String target) {
        if (allowed(subject, identity, privilege, target)) {
            return;
        }
        if (identity.isAnonymous()) {
            throw new RegistryException.Unauthorized("authentication required", Challenges.basic());
        }
        String project = projectOf(privilege, target);
        if (project != null && !knows(subject, project)) {
            throw new RegistryException.NameUnknown("project not found", project);
        }
        throw new RegistryException.Denied("you are not allowed to do this");
    }

    private boolean allowed(Subject subject, Identity identity, Privilege privilege, String target) {
        boolean system = subject.isPermitted(new BerthPermission.OnSystem());
        return switch (privilege) {
            case ANYONE -> true;
            case SYSTEM_ADMIN -> system;
            case SIGNED_IN -> identity.username() != null;
            // Passwords, tokens and users are managed by an account signed in with its password (or a
            // token made from it): never through a personal access token or a robot.
            case ACCOUNT_SELF -> system
                    || identity.kind() == Identity.Kind.USER && identity.name().equals(target == null ? identity.name() : target);
            case PROJECT_READ -> knows(subject, target);
            case PROJECT_MAINTAIN -> knows(subject, target)
                    && subject.isPermitted(new BerthPermission.OnProject(target, BerthPermission.OnProject.Level.MAINTAIN));
            case PROJECT_ADMIN -> knows(subject, target) && subject.isPermitted(new BerthPermission.OnProject(target, BerthPermission.OnProject.Level.ADMIN));
            case REPOSITORY_READ -> knows(subject, projectOf(privilege, target));
            // The same actions the /v2 routes ask for (OciAccessFilter): PUT needs pull and push, DELETE needs delete.
            case REPOSITORY_PUSH -> knows(subject, projectOf(privilege, target))
                    && permitted(subject, RepositoryName.parse(target), EnumSet.of(Action.PULL, Action.PUSH));
            case REPOSITORY_DELETE -> knows(subject, projectOf(privilege, target))
                    && permitted(subject, RepositoryName.parse(target), EnumSet.of(Action.DELETE));
            // a system administrator also reads the entries of a deleted project
            case AUDIT_READ -> system
                    || target != null && knows(subject, target) && subject.isPermitted(new BerthPermission.OnProject(target, BerthPermission.OnProject.Level.ADMIN));
        };
    }

    /** The project a privilege's target is about, or null. */
    private static String projectOf(Privilege privilege, String target) {
        if (target == null) {
            return null;
        }
        return switch (privilege) {
            case PROJECT_READ, PROJECT_MAINTAIN, PROJECT_ADMIN, AUDIT_READ, SYSTEM_ADMIN -> target;
            case REPOSITORY_READ, REPOSITORY_PUSH, REPOSITORY_DELETE -> Project.of(RepositoryName.parse(target));
            case ANYONE, SIGNED_IN, ACCOUNT_SELF -> null;
        };
    }
}
