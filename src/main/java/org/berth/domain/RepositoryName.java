package org.berth.domain;

import java.util.regex.Pattern;

/**
 * A repository name such as {@code library/nginx} or {@code team-a/app/api}: path components
 * of lower-case alphanumerics joined by separators, as the OCI distribution spec defines
 * ("Pulling manifests": {@code <name>}). The grammar admits no {@code .}/{@code ..} component
 * and no leading or trailing slash, so a name can never leave the storage root.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** OCI dist-spec: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)* */
    public static final String REGEX = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*";
    public static final int MAX_LENGTH = 255;
    private static final Pattern GRAMMAR = Pattern.compile(REGEX);

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new RegistryException.NameInvalid("repository name must not be empty", value);
        }
        if (value.length() > MAX_LENGTH) {
            throw new RegistryException.NameInvalid("repository name longer than " + MAX_LENGTH + " characters", value);
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw new RegistryException.NameInvalid("invalid repository name", value);
        }
    }

    public static RepositoryName parse(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
