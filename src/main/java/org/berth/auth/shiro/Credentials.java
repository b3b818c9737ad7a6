package org.berth.auth.shiro;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.UsernamePasswordToken;

/** Turns an Authorization header (or a refresh token) into the Shiro token the realm checks. */
final class Credentials {

    /** No credentials: the realm authenticates this as the anonymous caller. */
    static final class Anonymous implements AuthenticationToken {
        @Override
        public Object getPrincipal() {
            return "anonymous";
        }

        @Override
        public Object getCredentials() {
            return "";
        }
    }

    /** A refresh token presented to the token endpoint (OAuth2 {@code grant_type=refresh_token}). */
    record Refresh(String token) implements AuthenticationToken {
        @Override
        public Object getPrincipal() {
            return "refresh-token";
        }

        @Override
        public Object getCredentials() {
            return token;
        }
    }

    /** The header could not be understood: reject, never fall back to anonymous. */
    static final class Malformed extends RuntimeException {
        Malformed() {
            super("malformed Authorization header", null, false, false);
        }
    }

    private Credentials() {
    }

    static AuthenticationToken from(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Anonymous();
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new Malformed();
        }
        String scheme = value.substring(0, space);
        String rest = value.substring(space + 1).trim();
        if ("Basic".equalsIgnoreCase(scheme)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Malformed();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new Malformed();
            }
            return new UsernamePasswordToken(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        if ("Bearer".equalsIgnoreCase(scheme)) {
            return new BearerToken(rest);
        }
        throw new Malformed();
    }
}
