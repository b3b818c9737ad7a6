package org.berth.application.policy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.Digest;
import org.berth.domain.ManifestStore;
import org.berth.domain.Page;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.ImmutableRuleStore;
import org.berth.domain.policy.Selector;

/**
 * The one place where immutable-tag rules are enforced (issue 17): a tag that an enabled rule of
 * its project protects, once it exists, neither moves to another digest nor is deleted, by anyone,
 * through /v2, the administration API or retention. Every {@code check...} method runs inside the
 * transaction that then moves or deletes ({@link Transactional.TxType#MANDATORY}), and refuses
 * with {@link RegistryException.Denied}: {@code tag v1.2.3 is immutable in project team-a (rule 'releases')}.
 *
 * <p>Races. A project whose rules protect nothing that is asked about takes no lock: a push or
 * delete that read the rules before a rule was created or enabled is one that happened before it.
 * When a rule does apply, the check first takes the project's row lock ({@code SELECT ... FOR
 * UPDATE}, the row that quota checks lock too, so the order is always project before manifests),
 * so guarded pushes and deletes of one project are serialized with each other, then:
 * <ul>
 * <li>a push locks the tag's row before comparing digests, so that it cannot restore a digest over
 * a move that committed meanwhile;</li>
 * <li>a delete by digest locks the manifest's row before reading its tags and those of the
 * indexes listing it, the row that every tagging and every push of an index listing it locks, so
 * no protected tag can come to depend on it unseen;</li>
 * <li>a repository delete reads every tag under the project lock, which a push of a protected tag
 * also holds.</li>
 * </ul>
 */
@ApplicationScoped
public class ImmutableTagGuard {

    /** Tags read per query when a whole repository is checked. */
    private static final int TAG_PAGE = 1000;

    @Inject
    ImmutableRuleStore rules;

    @Inject
    ManifestStore manifests;

    @Inject
    ProjectStore projects;

    /**
     * Which of {@code tags} of the repository an enabled rule protects, and the first such rule of
     * each (for retention, which must never delete an artifact with a protected tag, and for the
     * API's listing). A tag not in the answer is not protected. Reads the project's rules once.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<Tag, ImmutableRule> protectedTags(RepositoryName repository, Collection<Tag> tags) {
        List<ImmutableRule> applicable = applicableRules(repository);
        Map<Tag, ImmutableRule> result = new LinkedHashMap<>();
        if (applicable.isEmpty()) {
            return result;
        }
        for (Tag tag : tags) {
            firstProtecting(applicable, repository, tag).ifPresent(rule -> result.put(tag, rule));
        }
        return result;
    }

    /**
     * Before the tag is pointed at {@code digest} (a push by tag, the API's tagging): refused when
     * the tag is protected and points at another digest; a new tag, or the same digest again, passes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkTagging(RepositoryName repository, Tag tag, Digest digest) {
        Optional<ImmutableRule> rule = firstProtecting(applicableRules(repository), repository, tag);
        if (rule.isEmpty()) {
            return;
        }
        lockProject(repository);
        Optional<Digest> current = manifests.lockTag(repository, tag);
        if (current.isPresent() && !current.get().equals(digest)) {
            throw refusal(repository, tag, rule.get());
        }
    }

    /** Before the tag is removed: refused when it exists and is protected. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkUntagging(RepositoryName repository, Tag tag) {
        Optional<ImmutableRule> rule = firstProtecting(applicableRules(repository), repository, tag);
        if (rule.isEmpty()) {
            return;
        }
        lockProject(repository);
        if (manifests.lockTag(repository, tag).isPresent()) {
            throw refusal(repository, tag, rule.get());
        }
    }

    /**
     * Before the artifact (and with it every tag pointing at it) is deleted: refused when any of
     * its tags is protected, or any tag of an index that lists it (deleting a platform's image
     * would change what the index's immutable tag pulls). Retention calls this in the
     * transaction of each delete.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkArtifactDeletion(RepositoryName repository, Digest digest) {
        List<ImmutableRule> applicable = applicableRules(repository);
        if (applicable.isEmpty()) {
            return;
        }
        lockProject(repository);
        manifests.hold(repository, List.of(digest));
        refuseAnyProtected(applicable, repository, manifests.tagsOf(repository, digest));
        refuseAnyProtected(applicable, repository, manifests.tagsOfIndexesListing(repository, digest));
    }

    /** Before the whole repository is deleted: refused when any of its tags is protected. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkRepositoryDeletion(RepositoryName repository) {
        List<ImmutableRule> applicable = applicableRules(repository);
        if (applicable.isEmpty()) {
            return;
        }
        lockProject(repository);
        String last = null;
        List<Tag> page;
        do {
            page = manifests.tags(repository, new Page(last, TAG_PAGE));
            refuseAnyProtected(applicable, repository, page);
            last = page.isEmpty() ? null : page.get(page.size() - 1).value();
        } while (page.size() == TAG_PAGE);
    }

    /** The enabled rules of the repository's project whose repository selector selects it. */
    private List<ImmutableRule> applicableRules(RepositoryName repository) {
        String project = Project.of(repository);
        String path = Selector.repositoryPath(project, repository.value());
        return rules.rules(project).stream().filter(r -> !r.disabled() && r.repository().selects(path)).toList();
    }

    private static Optional<ImmutableRule> firstProtecting(List<ImmutableRule> rules, RepositoryName repository, Tag tag) {
        return rules.stream().filter(r -> r.protects(repository, tag)).findFirst();
    }

    private void refuseAnyProtected(List<ImmutableRule> applicable, RepositoryName repository, List<Tag> tags) {
        for (Tag tag : tags) {
            Optional<ImmutableRule> rule = firstProtecting(applicable, repository, tag);
            if (rule.isPresent()) {
                throw refusal(repository, tag, rule.get());
            }
        }
    }

    private void lockProject(RepositoryName repository) {
        projects.findForUpdate(Project.of(repository));
    }

    private static RegistryException.Denied refusal(RepositoryName repository, Tag tag, ImmutableRule rule) {
        return new RegistryException.Denied("tag " + tag + " is immutable in project " + rule.project()
                + " (rule '" + rule.name() + "')",
                Map.of("repository", repository.value(), "tag", tag.value(), "rule", rule.name()));
    }
}
