package org.berth.domain;

import java.util.Optional;

/** Orders of a project's repository listing: {@code name}, {@code -name}, {@code last_push}, ... */
public enum RepositorySort {
    NAME("name"), NAME_DESC("-name"),
    LAST_PUSH("last_push"), LAST_PUSH_DESC("-last_push"),
    PULL_COUNT("pull_count"), PULL_COUNT_DESC("-pull_count"),
    ARTIFACT_COUNT("artifact_count"), ARTIFACT_COUNT_DESC("-artifact_count");

    private final String parameter;

    RepositorySort(String parameter) {
        this.parameter = parameter;
    }

    /** The value of the {@code sort} query parameter. */
    public String parameter() {
        return parameter;
    }

    public boolean descending() {
        return parameter.startsWith("-");
    }

    public static Optional<RepositorySort> byParameter(String value) {
        for (RepositorySort s : values()) {
            if (s.parameter.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
