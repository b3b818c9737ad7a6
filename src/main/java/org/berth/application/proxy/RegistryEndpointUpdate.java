package org.berth.application.proxy;

import java.util.Objects;
import java.util.Optional;

/**
 * What a change of a registry endpoint sets; an empty field stays as it is. An empty string as
 * the user name or password removes it.
 *
 * @param url       the new base URL, as sent (checked by {@code RegistryEndpoint.parseUrl})
 * @param username  the new user name, or "" for none
 * @param password  the new password, or "" for none
 * @param verifyTls whether to verify the registry's TLS certificate
 */
public record RegistryEndpointUpdate(Optional<String> url, Optional<String> username, Optional<String> password,
                                     Optional<Boolean> verifyTls) {

    public RegistryEndpointUpdate {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(verifyTls, "verifyTls");
    }

    @Override
    public String toString() {
        return "RegistryEndpointUpdate[url=" + url + ", username=" + username
                + ", password=" + password.map(p -> p.isEmpty() ? "(remove)" : "***") + ", verifyTls=" + verifyTls + "]";
    }
}
