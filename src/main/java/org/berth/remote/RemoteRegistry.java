package org.berth.remote;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a remote registry is and how to sign in to it. {@link #toString()} never shows the
 * password.
 *
 * <p>PLACEHOLDER on branch {@code registries} (issue 20, part D): the {@code remote} branch owns
 * this type (contract section A); its version replaces this file at merge.
 */
public record RemoteRegistry(String name, URI url, Optional<String> username, Optional<String> password,
                             boolean verifyTls) {

    public RemoteRegistry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RemoteRegistry[name=" + name + ", url=" + url + ", username=" + username.orElse("")
                + ", password=" + (password.isPresent() ? "***" : "") + ", verifyTls=" + verifyTls + "]";
    }
}
