package org.berth.domain;

import java.util.Collection;
import java.util.List;

/** The repositories the registry holds. */
public interface RepositoryCatalog {

    boolean exists(RepositoryName name);

    /** Creates the repository on its first push; does nothing when it exists. */
    void ensureExists(RepositoryName name);

    /**
     * Repository names in lexical order, after {@code page.last()}.
     *
     * @param projects only repositories of these projects; null for all
     */
    List<RepositoryName> list(Page page, Collection<String> projects);

    /** Whether any repository belongs to the project. */
    boolean anyInProject(String project);
}
