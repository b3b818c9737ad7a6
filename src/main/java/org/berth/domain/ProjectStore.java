package org.berth.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Projects and their members. */
public interface ProjectStore {

    Optional<Project> find(String name);

    /** Whether the project exists; a store may answer from a short-lived cache it keeps coherent with its own writes. */
    default boolean exists(String name) {
        return find(name).isPresent();
    }

    /**
     * Projects in name order, skipping {@code offset}.
     *
     * @param nameContains only names containing this, or null
     * @param visibleTo    only public projects and these; null for all
     */
    List<Project> list(String nameContains, Collection<String> visibleTo, int offset, int limit);

    long count(String nameContains, Collection<String> visibleTo);

    /** @return false when the name is taken */
    boolean create(Project project);

    /**
     * The project, its row locked until the transaction ends (member changes serialize on it);
     * never from a cache.
     */
    Optional<Project> findForUpdate(String name);

    void setPublic(String name, boolean isPublic);

    void delete(String name);

    List<Member> members(String project);

    Optional<Role> role(String project, String username);

    /** Every project the user has a role in, with the role. */
    Map<String, Role> roles(String username);

    /** Adds the member or changes the role. */
    void setRole(String project, String username, Role role);

    /** @return false when the user was not a member */
    boolean removeMember(String project, String username);

    /** Names of the public projects. */
    List<String> publicProjects();
}
