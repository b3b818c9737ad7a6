package org.berth.auth.shiro;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.apache.shiro.authc.IncorrectCredentialsException;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.berth.auth.Identity;
import org.berth.auth.LoginThrottle;
import org.berth.auth.PasswordHasher;
import org.berth.auth.SecretHasher;
import org.berth.auth.token.TokenService;
import org.berth.domain.Account;
import org.berth.domain.AccountStore;
import org.berth.domain.Action;
import org.berth.domain.PersonalToken;
import org.berth.domain.PersonalTokenStore;
import org.berth.domain.Robot;
import org.berth.domain.RobotStore;

/**
 * Authentication proper: turns credentials into an {@link Identity} with the bounds of the
 * credential, or refuses them. Passwords (bcrypt, remembered briefly), robot secrets, personal
 * access tokens, and the tokens of the token service; a token is worth what the credential it was
 * made from is worth now ({@link #current}), never more.
 */
final class CredentialCheck {

    /**
     * A bcrypt hash to compare against when the account does not exist, so timing tells nothing.
     * Made on the first password login, not when the realm is built: the realm is built by the
     * first request of all, and a bcrypt in a cold JVM held up Berth's first answer (issue 15).
     */
    private volatile String decoyHash;

    private final AccountStore accounts;
    private final RobotStore robots;
    private final PersonalTokenStore personalTokens;
    private final PasswordHasher passwords;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    /** Passwords checked with bcrypt, remembered for {@link #PASSWORD_REMEMBERED} against username and password. */
    private final RememberedSecrets<Identity> recentlyVerified = new RememberedSecrets<>();
    /** Access tokens whose signature was checked, remembered until their expiry. */
    private final RememberedSecrets<TokenService.Verified> verifiedTokens = new RememberedSecrets<>();

    /**
     * How long a verified password is remembered, so that a script sending Basic credentials with
     * every request pays for bcrypt once a minute; a changed password or a disabled account ends it
     * at once (the credential version is checked on every hit).
     */
    static final Duration PASSWORD_REMEMBERED = Duration.ofSeconds(60);

    CredentialCheck(AccountStore accounts, RobotStore robots, PersonalTokenStore personalTokens,
                    PasswordHasher passwords, TokenService tokens, LoginThrottle throttle) {
        this.accounts = accounts;
        this.robots = robots;
        this.personalTokens = personalTokens;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            synchronized (this) {
                if (decoyHash == null) {
                    decoyHash = passwords.hash("decoy-password-never-matches".toCharArray());
                }
                hash = decoyHash;
            }
        }
        return hash;
    }

    /**
     * An access token of the token service: its subject as claimed, and what it grants. The
     * verification of a token is remembered until it expires ({@link RememberedSecrets}).
     */
    TokenService.Verified bearer(String token) {
        Optional<TokenService.Verified> known = verifiedTokens.get(token);
        if (known.isPresent()) {
            return known.get();
        }
        try {
            TokenService.Verified verified = tokens.verifyAccess(token);
            verifiedTokens.put(token, verified, verified.expiresAt());
            return verified;
        } catch (TokenService.InvalidToken e) {
            throw new BerthRealm.InvalidBearerToken(e.getMessage());
        }
    }

    /** A refresh token: the credential it was made from, if that is still good, with its bounds. */
    Identity refresh(String token) {
        try {
            return current(tokens.verifyRefresh(token)).orElseThrow(
                    () -> new IncorrectCredentialsException("the credential of this refresh token is no longer usable"));
        } catch (TokenService.InvalidToken e) {
            throw new IncorrectCredentialsException(e.getMessage());
        }
    }

    /**
     * What a token's subject is worth now: the same kind of credential, still usable, at the same
     * account credential version (no password change, disabling or revocation since), its actions
     * the intersection of what the token claims and what the credential allows today.
     */
    Optional<Identity> current(Identity claimed) {
        Set<Action> limit = claimed.limit();
        return switch (claimed.kind()) {
            case ANONYMOUS -> Optional.of(Identity.ANONYMOUS);
            case USER -> usableAccount(claimed.name(), claimed.credentialVersion()).map(CredentialCheck::userIdentity);
            case PERSONAL_TOKEN -> Optional.ofNullable(claimed.credentialId())
                    .flatMap(personalTokens::find)
                    .filter(t -> t.usableAt(Instant.now()) && t.username().equals(claimed.name()))
                    .flatMap(t -> usableAccount(t.username(), claimed.credentialVersion())
                            .map(a -> tokenIdentity(a, t, limit)));
            case ROBOT -> findRobot(claimed.name())
                    .filter(r -> r.usableAt(Instant.now()) && r.project().equals(claimed.project())
                            && robotVersion(r) == claimed.credentialVersion())
                    .map(r -> narrowed(robotIdentity(r), limit));
        };
    }

    private Optional<Account> usableAccount(String username, long credentialVersion) {
        return accounts.find(username).filter(a -> !a.disabled() && a.credentialVersion() == credentialVersion);
    }

    /** A username with a password, robot secret or personal access token. */
    Identity password(UsernamePasswordToken token) {
        String username = token.getUsername() == null ? "" : token.getUsername();
        String secret = token.getPassword() == null ? "" : new String(token.getPassword());
        LoginThrottle.Credential kind = username.startsWith(Robot.PREFIX) ? LoginThrottle.Credential.ROBOT_SECRET
                : secret.startsWith(PersonalToken.PREFIX) ? LoginThrottle.Credential.PERSONAL_TOKEN
                : LoginThrottle.Credential.PASSWORD;
        long locked = throttle.secondsLocked(kind, username);
        if (locked > 0) {
            throw new BerthRealm.LockedOut(locked);
        }
        Optional<Identity> identity;
        String remembered = null;
        switch (kind) {
            case ROBOT_SECRET -> identity = robot(username, secret); // SHA-256 of a random secret: cheap, checked every time
            case PERSONAL_TOKEN -> identity = personalToken(username, secret);
            default -> {
                // bcrypt is slow by design: remember a verified password briefly,
                // but only while the account's credential version stays where it was
                remembered = username + '\u0000' + secret;
                Optional<Identity> cached = recentlyVerified.get(remembered)
                        .filter(c -> usableAccount(c.name(), c.credentialVersion()).isPresent());
                if (cached.isPresent()) {
                    return cached.get();
                }
                identity = user(username, secret);
            }
        }
        if (identity.isEmpty()) {
            throttle.failed(kind, username);
            throw new IncorrectCredentialsException("incorrect username or password");
        }
        throttle.succeeded(kind, username);
        if (remembered != null) {
            recentlyVerified.put(remembered, identity.get(), Instant.now().plus(PASSWORD_REMEMBERED));
        }
        return identity.get();
    }

    private Optional<Identity> user(String username, String password) {
        String decoy = decoyHash(); // before the look-up: the first login costs the same for a known and an unknown name
        Optional<Account> account = accounts.find(username);
        boolean matches = passwords.matches(password.toCharArray(), account.map(Account::passwordHash).orElse(decoy));
        if (account.isEmpty() || !matches || account.get().disabled()) {
            return Optional.empty();
        }
        return Optional.of(userIdentity(account.get()));
    }

    private Optional<Identity> robot(String login, String secret) {
        Optional<Robot> robot = findRobot(login);
        boolean matches = SecretHasher.matches(secret, robot.map(Robot::secretHash).orElse(""));
        if (robot.isEmpty() || !matches || !robot.get().usableAt(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(robotIdentity(robot.get()));
    }

    /** {@code berth_pat_<id>_<secret>}: the id finds the row, the whole string is what is hashed. */
    private Optional<Identity> personalToken(String username, String secret) {
        String rest = secret.substring(PersonalToken.PREFIX.length());
        int underscore = rest.indexOf('_');
        long id;
        try {
            id = Long.parseLong(underscore < 0 ? "" : rest.substring(0, underscore));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<PersonalToken> token = personalTokens.find(id);
        boolean matches = SecretHasher.matches(secret, token.map(PersonalToken::secretHash).orElse(""));
        if (token.isEmpty() || !matches || !token.get().usableAt(Instant.now()) || !token.get().username().equals(username)) {
            return Optional.empty();
        }
        return accounts.find(username).filter(a -> !a.disabled())
                .map(a -> tokenIdentity(a, token.get(), EnumSet.allOf(Action.class)));
    }

    private Optional<Robot> findRobot(String login) {
        return Robot.parseLoginName(login).flatMap(l -> robots.find(l.project(), l.name()));
    }

    private static Identity userIdentity(Account account) {
        return new Identity(Identity.Kind.USER, account.username(), account.sysadmin(), null,
                EnumSet.allOf(Action.class), null, account.credentialVersion());
    }

    private static Identity tokenIdentity(Account account, PersonalToken token, Set<Action> claimed) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        actions.addAll(token.actions());
        actions.retainAll(claimed);
        return new Identity(Identity.Kind.PERSONAL_TOKEN, account.username(), account.sysadmin(), null, actions,
                token.id(), account.credentialVersion());
    }

    private static Identity robotIdentity(Robot robot) {
        return new Identity(Identity.Kind.ROBOT, robot.loginName(), false, robot.project(), robot.actions(),
                null, robotVersion(robot));
    }

    private static Identity narrowed(Identity identity, Set<Action> claimed) {
        Set<Action> actions = identity.limit();
        actions.retainAll(claimed);
        return new Identity(identity.kind(), identity.name(), identity.sysadmin(), identity.project(), actions,
                identity.credentialId(), identity.credentialVersion());
    }

    /**
     * A robot's credential version: drawn from its secret's hash, so a robot deleted and made
     * again under the same name (a new secret) does not inherit the old one's tokens.
     */
    private static long robotVersion(Robot robot) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(robot.secretHash().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
