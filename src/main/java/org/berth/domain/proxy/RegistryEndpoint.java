package org.berth.domain.proxy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.berth.domain.HttpUrls;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;

/**
 * A remote registry Berth may pull from (issue 20), as the administration API shows it: the
 * password itself is never part of it, only whether one is stored.
 *
 * @param name        the project-name grammar ({@link Project#isValidName}); proxy projects name it
 * @param url         the registry's base URL, as {@link #parseUrl} normalises it
 * @param username    who to sign in as; empty for anonymous pulls
 * @param hasPassword whether a password is stored (sealed) with it
 * @param verifyTls   whether the registry's TLS certificate is verified
 * @param createdAt   when it was created
 */
public record RegistryEndpoint(String name, URI url, Optional<String> username, boolean hasPassword, boolean verifyTls,
                               Instant createdAt) {

    /** Longest user name: the column's width. */
    public static final int MAX_USERNAME = 255;

    /** Longest password, in bytes of UTF-8 (sealed it fits the column with room to spare). */
    public static final int MAX_PASSWORD_BYTES = 1024;

    /** Longest URL: the column's width. */
    public static final int MAX_URL = 2048;

    public RegistryEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** @throws RegistryException.InvalidRequest unless the name follows the project-name grammar */
    public static String checkName(String name) {
        if (!Project.isValidName(name)) {
            throw new RegistryException.InvalidRequest("invalid registry name: use lower-case letters and digits,"
                    + " separated by . _ __ or -, at most 255 characters");
        }
        return name;
    }

    /**
     * The base URL of a registry: absolute, {@code http} or {@code https}, with a host, without
     * user-info (credentials go in their own fields, where they are sealed), query or fragment;
     * the scheme and host in lower case, trailing slashes removed ({@code https://ghcr.io/} is
     * {@code https://ghcr.io}).
     *
     * @throws RegistryException.InvalidRequest naming what is wrong
     */
    public static URI parseUrl(String text) {
        URI uri = HttpUrls.parse(text, "url", MAX_URL, "'username' and 'password'", "https://registry-1.docker.io");
        if (uri.getRawQuery() != null) {
            throw new RegistryException.InvalidRequest("'url' must have no query and no fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path);
    }

    /**
     * A user name for Basic authentication and Docker's token flow: at most {@link #MAX_USERNAME}
     * characters, no colon (RFC 7617 section 2) and no control character.
     *
     * @throws RegistryException.InvalidRequest naming what is wrong
     */
    public static String checkUsername(String username) {
        if (username.length() > MAX_USERNAME) {
            throw new RegistryException.InvalidRequest("'username' is longer than " + MAX_USERNAME + " characters");
        }
        if (username.indexOf(':') >= 0 || username.chars().anyMatch(Character::isISOControl)) {
            throw new RegistryException.InvalidRequest("'username' must hold no colon and no control character");
        }
        return username;
    }

    /**
     * A password of at most {@link #MAX_PASSWORD_BYTES} bytes in UTF-8, without control characters.
     * The message never quotes it.
     *
     * @throws RegistryException.InvalidRequest naming what is wrong
     */
    public static String checkPassword(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new RegistryException.InvalidRequest("'password' is longer than " + MAX_PASSWORD_BYTES + " bytes");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw new RegistryException.InvalidRequest("'password' must hold no control character");
        }
        return password;
    }
}
