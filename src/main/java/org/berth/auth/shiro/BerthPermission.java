package org.berth.auth.shiro;

import java.util.EnumSet;
import java.util.Set;

import org.apache.shiro.authz.Permission;
import org.berth.domain.Action;
import org.berth.domain.Project;
import org.berth.domain.RepositoryName;

/**
 * Berth's Shiro permissions. A granted permission {@link #implies} a requested one; requests are
 * always specific (one repository, one project), grants may be wide (a project, everything).
 */
sealed interface BerthPermission extends Permission
        permits BerthPermission.OnRepository, BerthPermission.OnProject, BerthPermission.OnSystem, BerthPermission.Catalog {

    /**
     * Actions on repositories.
     *
     * @param project    the project, or null for every project
     * @param repository one repository, or null for every repository of the project
     */
    record OnRepository(String project, String repository, Set<Action> actions) implements BerthPermission {

        static final OnRepository EVERYTHING = new OnRepository(null, null, EnumSet.allOf(Action.class));

        static OnRepository project(String project, Set<Action> actions) {
            return new OnRepository(project, null, actions);
        }

        static OnRepository repository(String name, Set<Action> actions) {
            return new OnRepository(Project.of(RepositoryName.parse(name)), name, actions);
        }

        @Override
        public boolean implies(Permission p) {
            return p instanceof OnRepository r
                    && (project == null || project.equals(r.project))
                    && (repository == null || repository.equals(r.repository))
                    && actions.containsAll(r.actions);
        }
    }

    /** Seeing a project, reading its policies (maintainers), or administering it; project null means every project. */
    record OnProject(String project, Level level) implements BerthPermission {

        /** Each level implies those before it. */
        enum Level {
            SEE, MAINTAIN, ADMIN
        }

        @Override
        public boolean implies(Permission p) {
            return p instanceof OnProject r && (project == null || project.equals(r.project))
                    && level.compareTo(r.level) >= 0;
        }
    }

    /** System administration: users, quotas, every project. */
    record OnSystem() implements BerthPermission {
        @Override
        public boolean implies(Permission p) {
            return p instanceof OnSystem;
        }
    }

    /** Listing repositories ({@code registry:catalog:*}); the listing is filtered by what one may pull. */
    record Catalog() implements BerthPermission {
        @Override
        public boolean implies(Permission p) {
            return p instanceof Catalog;
        }
    }
}
