package org.berth.remote;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a remote registry is and how to sign in to it: the endpoint's name (for the token cache
 * and messages), its base URL ({@code https://registry-1.docker.io}), optional credentials, and
 * whether its TLS certificate is verified. {@link #toString()} never shows the password.
 */
public record RemoteRegistry(String name, URI url, Optional<String> username, Optional<String> password, boolean verifyTls) {

    public RemoteRegistry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        String scheme = url.getScheme();
        if (!url.isAbsolute() || url.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("a registry URL is an absolute http or https URL with a host");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("a registry URL carries no user-info, query or fragment");
        }
    }

    /** An endpoint without credentials. */
    public static RemoteRegistry anonymous(String name, URI url, boolean verifyTls) {
        return new RemoteRegistry(name, url, Optional.empty(), Optional.empty(), verifyTls);
    }

    /** True when both a username and a password are known (Basic and token requests sign in). */
    public boolean hasCredentials() {
        return username.isPresent() && password.isPresent();
    }

    /** The URL of a Distribution API path such as {@code /v2/library/nginx/tags/list}. */
    URI resolve(String apiPath) {
        String base = url.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + apiPath);
    }

    @Override
    public String toString() {
        return "RemoteRegistry[name=" + name + ", url=" + url + ", username=" + username.orElse("")
                + ", password=" + (password.isPresent() ? "***" : "") + ", verifyTls=" + verifyTls + "]";
    }
}
