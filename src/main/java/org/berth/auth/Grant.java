package org.berth.auth;

import java.util.Set;

/**
 * The outcome of a successful /v2 access check: who the caller is, and which projects' content it
 * may see (for filtering listings such as {@code _catalog}).
 *
 * @param identity        the caller
 * @param visibleProjects the projects whose repositories the caller may pull from; null for all
 */
public record Grant(Identity identity, Set<String> visibleProjects) {

    public boolean seesAll() {
        return visibleProjects == null;
    }
}
