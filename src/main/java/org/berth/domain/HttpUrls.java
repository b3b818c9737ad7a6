package org.berth.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The checks every URL Berth is told to call must pass (a registry endpoint's, a webhook's):
 * present, not too long, well formed, absolute {@code http} or {@code https} with a host, and
 * without user-info: credentials have their own, sealed, fields and must not sit in a URL that is
 * shown and logged. An error never echoes the text, which may hold such credentials.
 */
public final class HttpUrls {

    private HttpUrls() {
    }

    /**
     * @param field       the JSON field, named in errors
     * @param maxLength   the longest text accepted
     * @param credentials where credentials go instead, named in the error for user-info
     * @param example     a URL shown as an example in errors
     * @throws RegistryException.InvalidRequest naming what is wrong
     */
    public static URI parse(String text, String field, int maxLength, String credentials, String example) {
        if (text == null || text.isBlank()) {
            throw new RegistryException.InvalidRequest("'" + field + "' is required");
        }
        if (text.length() > maxLength) {
            throw new RegistryException.InvalidRequest("'" + field + "' is longer than " + maxLength + " characters");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new RegistryException.InvalidRequest("'" + field + "' is not a valid URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new RegistryException.InvalidRequest("'" + field + "' must not hold credentials: send them as " + credentials);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new RegistryException.InvalidRequest("'" + field + "' must be an absolute http or https URL, such as " + example);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RegistryException.InvalidRequest("'" + field + "' must name a host, such as " + example);
        }
        if (uri.getRawFragment() != null) {
            throw new RegistryException.InvalidRequest("'" + field + "' must have no fragment");
        }
        return uri;
    }
}
