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
 *
 * <p>Every token also carries the bounds of the credential it was made from (Berth's private
 * claims {@code berth_kind}, {@code berth_cred}, {@code berth_ver}, {@code berth_limit},
 * {@code berth_project}: see {@link Identity}), so that a token made from a pull-only personal
 * token stays a pull-only personal token, whatever it is exchanged for.
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());
    private static final JOSEObjectType ACCESS_TYPE = JOSEObjectType.JWT;
    private static final JOSEObjectType REFRESH_TYPE = new JOSEObjectType("refresh+jwt");
    /** Clock skew tolerated on nbf/iat between cluster nodes. */
    private static final long SKEW_SECONDS = 30;
    /** Berth's private claims: how the subject authenticated and the bounds of that credential (see {@link Identity}). */
    private static final String KIND_CLAIM = "berth_kind";
    private static final String CREDENTIAL_CLAIM = "berth_cred";
    private static final String VERSION_CLAIM = "berth_ver";
    private static final String LIMIT_CLAIM = "berth_limit";
    private static final String PROJECT_CLAIM = "berth_project";

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
     * @param claimed the subject with the bounds of the credential the token was made from, as it
     *                was when the token was issued (never a system administrator: that is looked up)
     * @param access    what the token grants
     * @param expiresAt the token's {@code exp}: what is verified here stays true until then
     */
    public record Verified(Identity claimed, List<Access> access, Instant expiresAt) {
        public Verified {
            access = List.copyOf(access);
        }
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
            entry.put("actions", a.isRepository() ? a.actions().stream().sorted().map(Action::scopeName).toList() : List.of("*"));
            claim.add(entry);
        }
        JWTClaimsSet claims = bounds(base(subject.name(), now, now.plus(settings.lifetime())), subject)
                .audience(audience == null || audience.isBlank() ? settings.service() : audience)
                .claim("access", claim).build();
        return new Issued(sign(claims, ACCESS_TYPE), settings.lifetime().toSeconds(), now);
    }

    /** A refresh token for the subject, bound to its credential: never worth more than what made it. */
    public String issueRefresh(Identity subject) {
        Instant now = Instant.now();
        return sign(bounds(base(subject.name(), now, now.plus(settings.refreshLifetime())), subject).build(), REFRESH_TYPE);
    }

    private static JWTClaimsSet.Builder bounds(JWTClaimsSet.Builder claims, Identity subject) {
        claims.claim(KIND_CLAIM, subject.kind().name())
                .claim(VERSION_CLAIM, subject.credentialVersion())
                .claim(LIMIT_CLAIM, subject.limit().stream().sorted().map(Action::scopeName).toList());
        if (subject.credentialId() != null) {
            claims.claim(CREDENTIAL_CLAIM, subject.credentialId());
        }
        if (subject.project() != null) {
            claims.claim(PROJECT_CLAIM, subject.project());
        }
        return claims;
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
                        } else if (Access.API.equals(type) && Access.API_VERSION.equals(name)) {
                            access.add(Access.api());
                        } else if (Access.REPOSITORY.equals(type) && m.get("actions") instanceof List<?> actions) {
                            access.add(Access.repository(name, Action.parseList(String.join(",", actions.stream().map(String::valueOf).toList()))));
                        }
                    }
                }
            }
        } catch (ParseException e) {
            throw new InvalidToken("malformed access claim");
        }
        return new Verified(claimed(claims), access, claims.getExpirationTime().toInstant());
    }

    /** @return the subject of a valid refresh token, with the bounds of the credential it was made from */
    public Identity verifyRefresh(String token) throws InvalidToken {
        return claimed(verify(token, REFRESH_TYPE));
    }

    /** The subject and its bounds; a token without them (made before they existed) is refused. */
    private static Identity claimed(JWTClaimsSet claims) throws InvalidToken {
        try {
            String kind = claims.getStringClaim(KIND_CLAIM);
            List<String> limit = claims.getStringListClaim(LIMIT_CLAIM);
            Long version = claims.getLongClaim(VERSION_CLAIM);
            if (kind == null || limit == null || version == null) {
                throw new InvalidToken("token without the bounds of its credential: sign in again");
            }
            return new Identity(Identity.Kind.valueOf(kind), claims.getSubject(), false,
                    claims.getStringClaim(PROJECT_CLAIM), Action.parseList(String.join(",", limit)),
                    claims.getLongClaim(CREDENTIAL_CLAIM), version);
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidToken("malformed credential claims");
        }
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
            if (store.addFirst(key.getKeyID(), key.toJSONString())) {
                LOG.info(() -> "generated the token-signing key " + key.getKeyID());
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a token-signing key", e);
        }
    }
}
