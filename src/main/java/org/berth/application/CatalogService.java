package org.berth.application;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.ManifestStore;
import org.berth.domain.Page;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryCatalog;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;

/** Listing repositories and tags (OCI dist-spec "Listing Tags", Docker "_catalog"). */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CatalogService {

    @Inject
    RepositoryCatalog repositories;

    @Inject
    ManifestStore manifests;

    /**
     * @param projects only repositories of these projects (what the caller may see); null for all
     */
    public List<RepositoryName> repositories(Page page, Collection<String> projects) {
        return repositories.list(page, projects);
    }

    public List<Tag> tags(RepositoryName repository, Page page) {
        List<Tag> tags = manifests.tags(repository, page);
        // one query when there are tags; the existence check only tells "no tags" from "no repository"
        if (tags.isEmpty() && !repositories.exists(repository)) {
            throw new RegistryException.NameUnknown(repository.value());
        }
        return tags;
    }
}
