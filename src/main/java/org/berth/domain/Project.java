package org.berth.domain;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A project: a namespace of repositories with members, as in Harbor. A repository belongs to the
 * project named by its first path component; single-component names belong to {@link #LIBRARY}.
 */
public record Project(String name, boolean isPublic, Instant createdAt) {

    public static final String LIBRARY = "library";

    /** A project name is one repository path component (OCI dist-spec name grammar). */
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");

    public static boolean isValidName(String name) {
        return name != null && name.length() <= 255 && GRAMMAR.matcher(name).matches();
    }

    /** The project a repository belongs to. */
    public static String of(RepositoryName repository) {
        String value = repository.value();
        int slash = value.indexOf('/');
        return slash < 0 ? LIBRARY : value.substring(0, slash);
    }
}
