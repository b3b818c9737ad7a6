package org.berth.auth.token;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.berth.auth.Access;
import org.berth.auth.Identity;
import org.berth.domain.Action;

/**
 * Issues and verifies the JWTs of the token service (Docker registry token spec): ES256-signed,
 * {@code kid} in the header, claims {@code iss sub aud exp nbf iat jti access}. The key pair is
 * made on first use and kept in the {@link SigningKeyStore}. Refresh tokens are JWTs of type
 * {@code refresh+jwt} with no access claim; they are accepted only by the token endpoint.
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());
    private static final JOSEObjectType ACCESS_TYPE = JOSEObjectType.JWT;
    private static final JOSEObjectType REFRESH_TYPE = new JOSEObjectType("refresh+jwt");
    /** Clock skew tolerated on nbf/iat between cluster nodes. */
    private static final long SKEW_SECONDS = 30;
    /** Berth's private claim: how the subject authenticated (see {@link Identity.Kind}). */
    private static final String KIND_CLAIM = "berth_kind";

    @Inject
    SigningKeyStore store;

    @Inject
    TokenSettings settings;

    private final Map<String, ECKey> keys = new ConcurrentHashMap<>();
    private volatile ECKey current;

    /** A freshly issued access token. */
    public record Issued(String token, long expiresIn, Instant issuedAt) {
    }

    /**
     * What a verified access token says.
     *
     * @param kind how the subject authenticated when the token was issued (a personal access
     *             token's bearer token must not act as the full account)
     */
    public record Verified(String subject, Identity.Kind kind, List<Access> access) {
    }

    /** A token that failed verification; the message is safe to show (it never echoes the token). */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param audience the service the client asked a token for ({@code service=}); Berth's own
     *                 service when null. A token for another service is refused by this registry.
     */
    public Issued issue(Identity subject, List<Access> access, String audience) {
        Instant now = Instant.now();
        List<Map<String, Object>> claim = new ArrayList<>();
        for (Access a : access) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", a.type());
            entry.put("name", a.name());
            entry.put("actions", a.isCatalog() ? List.of("*") : a.actions().stream().sorted().map(Action::scopeName).toList());
            claim.add(entry);
        }
        JWTClaimsSet claims = base(subject.name(), now, now.plus(settings.lifetime()))
                .audience(audience == null || audience.isBlank() ? settings.service() : audience)
                .claim(KIND_CLAIM, subject.kind().name())
                .claim("access", claim).build();
        return new Issued(sign(claims, ACCESS_TYPE), settings.lifetime().toSeconds(), now);
    }

    public String issueRefresh(String subject) {
        Instant now = Instant.now();
        return sign(base(subject, now, now.plus(settings.refreshLifetime())).build(), REFRESH_TYPE);
    }

    public Verified verifyAccess(String token) throws InvalidToken {
        JWTClaimsSet claims = verify(token, ACCESS_TYPE);
        List<Access> access = new ArrayList<>();
        try {
            List<Object> entries = claims.getListClaim("access");
            if (entries != null) {
                for (Object o : entries) {
                    if (o instanceof Map<?, ?> m) {
                        String type = String.valueOf(m.get("type"));
                        String name = String.valueOf(m.get("name"));
                        if (Access.REGISTRY.equals(type) && Access.CATALOG.equals(name)) {
                            access.add(Access.catalog());
                        } else if (Access.REPOSITORY.equals(type) && m.get("actions") instanceof List<?> actions) {
                            access.add(Access.repository(name, Action.parseList(String.join(",", actions.stream().map(String::valueOf).toList()))));
                        }
                    }
                }
            }
        } catch (ParseException e) {
            throw new InvalidToken("malformed access claim");
        }
        Identity.Kind kind;
        try {
            String k = claims.getStringClaim(KIND_CLAIM);
            kind = k == null ? Identity.Kind.USER : Identity.Kind.valueOf(k);
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidToken("malformed kind claim");
        }
        return new Verified(claims.getSubject(), kind, access);
    }

    /** @return the subject of a valid refresh token */
    public String verifyRefresh(String token) throws InvalidToken {
        return verify(token, REFRESH_TYPE).getSubject();
    }

    private JWTClaimsSet.Builder base(String subject, Instant now, Instant expires) {
        return new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(settings.service())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString());
    }

    private String sign(JWTClaimsSet claims, JOSEObjectType type) {
        ECKey key = currentKey();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private JWTClaimsSet verify(String token, JOSEObjectType expectedType) throws InvalidToken {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !expectedType.equals(jwt.getHeader().getType())) {
                throw new InvalidToken("unexpected token type");
            }
            ECKey key = keyById(jwt.getHeader().getKeyID()).orElseThrow(() -> new InvalidToken("unknown signing key"));
            if (!jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                throw new InvalidToken("invalid token signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            long now = Instant.now().getEpochSecond();
            if (!settings.issuer().equals(claims.getIssuer())) {
                throw new InvalidToken("token from another issuer");
            }
            if (claims.getAudience() == null || !claims.getAudience().contains(settings.service())) {
                throw new InvalidToken("token for another service");
            }
            if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().getEpochSecond() <= now) {
                throw new InvalidToken("token expired");
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().getEpochSecond() > now + SKEW_SECONDS) {
                throw new InvalidToken("token not yet valid");
            }
            if (claims.getSubject() == null) {
                throw new InvalidToken("token without subject");
            }
            return claims;
        } catch (ParseException | JOSEException e) {
            throw new InvalidToken("malformed token");
        }
    }

    private ECKey currentKey() {
        ECKey key = current;
        if (key == null) {
            synchronized (this) {
                load();
                if (current == null) {
                    generate();
                    load();
                }
                key = current;
            }
        }
        return key;
    }

    private Optional<ECKey> keyById(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        ECKey key = keys.get(kid);
        if (key == null) {
            synchronized (this) {
                load(); // another node may have made a key since
            }
            key = keys.get(kid);
        }
        return Optional.ofNullable(key);
    }

    private void load() {
        ECKey newest = null;
        for (String json : store.all()) {
            try {
                ECKey key = ECKey.parse(json);
                keys.put(key.getKeyID(), key);
                if (newest == null) {
                    newest = key;
                }
            } catch (ParseException e) {
                LOG.warning("ignoring an unreadable token-signing key in the database");
            }
        }
        if (newest != null) {
            current = newest;
        }
    }

    private void generate() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            store.add(key.getKeyID(), key.toJSONString());
            LOG.info(() -> "generated the token-signing key " + key.getKeyID());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a token-signing key", e);
        }
    }
}
