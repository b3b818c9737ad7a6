package org.berth.domain;

import java.util.List;

/** The repositories the registry holds. */
public interface RepositoryCatalog {

    boolean exists(RepositoryName name);

    /** Creates the repository on its first push; does nothing when it exists. */
    void ensureExists(RepositoryName name);

    /** Repository names in lexical order, after {@code page.last()}. */
    List<RepositoryName> list(Page page);
}
