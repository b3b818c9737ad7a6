package org.berth.domain.retention;

import org.berth.domain.policy.Selector;

/**
 * One rule of a project's retention policy: the repositories and tags it selects, whether it
 * selects untagged artifacts too, and what it keeps of them. Rules are combined with OR: an
 * artifact that any rule keeps stays.
 *
 * @param repository which repositories of the project, by their path inside it
 * @param tag        which tags; an artifact is selected through any tag this matches
 * @param untagged   whether untagged artifacts of the selected repositories are selected (ranked by
 *                   the manifest's push time)
 * @param amount     K for {@code latest_*} (1 to {@value KeepMode#MAX_COUNT}), N for {@code *_within_days}
 *                   (1 to {@value KeepMode#MAX_DAYS}), 0 for {@code always}
 */
public record RetentionRule(Selector repository, Selector tag, boolean untagged, KeepMode keep, int amount) {

    public RetentionRule {
        if (repository == null || tag == null || keep == null) {
            throw new IllegalArgumentException("a rule needs a repository selector, a tag selector and what it keeps");
        }
        switch (keep.amount()) {
            case COUNT -> {
                if (amount < 1 || amount > KeepMode.MAX_COUNT) {
                    throw new IllegalArgumentException(keep.jsonName() + " keeps from 1 to " + KeepMode.MAX_COUNT
                            + " artifacts per repository, not " + amount);
                }
            }
            case DAYS -> {
                if (amount < 1 || amount > KeepMode.MAX_DAYS) {
                    throw new IllegalArgumentException(keep.jsonName() + " takes from 1 to " + KeepMode.MAX_DAYS
                            + " days, not " + amount);
                }
            }
            case NONE -> {
                if (amount != 0) {
                    throw new IllegalArgumentException("always takes no amount");
                }
            }
        }
    }

    /** Whether the rule applies to {@code repository} (a full name) of {@code project}. */
    public boolean selectsRepository(String project, String repository) {
        return this.repository.selects(Selector.repositoryPath(project, repository));
    }

    /** A line that names the rule in a preview or a history ("latest_pushed 5 of build-* in **"). */
    public String describe() {
        StringBuilder sb = new StringBuilder(keep.jsonName());
        if (keep.amount() != KeepMode.Amount.NONE) {
            sb.append(' ').append(amount);
        }
        sb.append(" of tags ").append(side(tag));
        if (untagged) {
            sb.append(" and untagged");
        }
        return sb.append(" in ").append(side(repository)).toString();
    }

    private static String side(Selector s) {
        return (s.mode() == Selector.Mode.EXCLUDING ? "not " : "") + s.glob().pattern();
    }
}
