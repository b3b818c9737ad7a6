package org.berth.auth.shiro;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.ExcessiveAttemptsException;
import org.apache.shiro.authc.IncorrectCredentialsException;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authc.credential.AllowAllCredentialsMatcher;
import org.apache.shiro.authz.AuthorizationInfo;
import org.apache.shiro.authz.SimpleAuthorizationInfo;
import org.apache.shiro.realm.AuthorizingRealm;
import org.apache.shiro.subject.PrincipalCollection;
import org.berth.auth.Access;
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
import org.berth.domain.ProjectStore;
import org.berth.domain.Robot;
import org.berth.domain.RobotStore;
import org.berth.domain.Role;

/**
 * Berth's one Shiro realm, backed by the JPA stores. Authenticates passwords (bcrypt), robot
 * secrets, personal access tokens, bearer and refresh tokens and the anonymous caller; authorizes
 * from project roles, robot and token limits, or a bearer token's own access claims.
 * Credentials are checked here (in constant time), so the credentials matcher allows all.
 */
class BerthRealm extends AuthorizingRealm {

    /** A bcrypt hash to compare against when the account does not exist, so timing tells nothing. */
    private final String decoyHash;

    private final AccountStore accounts;
    private final ProjectStore projects;
    private final RobotStore robots;
    private final PersonalTokenStore personalTokens;
    private final PasswordHasher passwords;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final boolean anonymousPush;
    private final VerifiedCredentials recentlyVerified = new VerifiedCredentials();

    BerthRealm(AccountStore accounts, ProjectStore projects, RobotStore robots, PersonalTokenStore personalTokens,
               PasswordHasher passwords, TokenService tokens, LoginThrottle throttle, boolean anonymousPush) {
        super(new AllowAllCredentialsMatcher());
        this.accounts = accounts;
        this.projects = projects;
        this.robots = robots;
        this.personalTokens = personalTokens;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.anonymousPush = anonymousPush;
        this.decoyHash = passwords.hash("decoy-password-never-matches".toCharArray());
        setCachingEnabled(false);
        setAuthenticationTokenClass(AuthenticationToken.class);
    }

    @Override
    public boolean supports(AuthenticationToken token) {
        return token instanceof UsernamePasswordToken || token instanceof BearerToken
                || token instanceof Credentials.Anonymous || token instanceof Credentials.Refresh;
    }

    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) {
        CallerPrincipal principal;
        if (token instanceof Credentials.Anonymous) {
            principal = new CallerPrincipal(Identity.ANONYMOUS, null);
        } else if (token instanceof BearerToken bearer) {
            principal = bearer(bearer.getToken());
        } else if (token instanceof Credentials.Refresh refresh) {
            principal = refresh(refresh.token());
        } else {
            principal = password((UsernamePasswordToken) token);
        }
        return new SimpleAuthenticationInfo(principal, token.getCredentials(), getName());
    }

    private CallerPrincipal bearer(String token) {
        try {
            TokenService.Verified verified = tokens.verifyAccess(token);
            String subject = verified.subject();
            if (verified.kind() == Identity.Kind.ANONYMOUS) {
                return new CallerPrincipal(Identity.ANONYMOUS, verified.access());
            }
            // On /v2 a bearer token's rights are its access claim; the identity only names the caller
            // (no database look-up per request; the admin API reloads the account when it needs it).
            boolean user = verified.kind() == Identity.Kind.USER;
            Identity identity = new Identity(verified.kind(), subject, false, null,
                    user ? EnumSet.allOf(Action.class) : EnumSet.noneOf(Action.class));
            return new CallerPrincipal(identity, verified.access());
        } catch (TokenService.InvalidToken e) {
            throw new InvalidBearerToken(e.getMessage());
        }
    }

    private CallerPrincipal refresh(String token) {
        try {
            String subject = tokens.verifyRefresh(token);
            // The account must still exist and be usable: a refresh never outlives a disabled account.
            return new CallerPrincipal(currentIdentity(subject).orElseThrow(
                    () -> new IncorrectCredentialsException("the account of this refresh token is no longer usable")), null);
        } catch (TokenService.InvalidToken e) {
            throw new IncorrectCredentialsException(e.getMessage());
        }
    }

    private CallerPrincipal password(UsernamePasswordToken token) {
        String username = token.getUsername() == null ? "" : token.getUsername();
        String secret = token.getPassword() == null ? "" : new String(token.getPassword());
        long locked = throttle.secondsLocked(username);
        if (locked > 0) {
            throw new LockedOut(locked);
        }
        Optional<Identity> identity;
        String cacheKey = null;
        if (username.startsWith(Robot.PREFIX)) {
            identity = robot(username, secret); // SHA-256 of a random secret: cheap, checked every time
        } else if (secret.startsWith(PersonalToken.PREFIX)) {
            identity = personalToken(username, secret);
        } else {
            // bcrypt is slow by design: remember a verified password briefly (see VerifiedCredentials)
            cacheKey = SecretHasher.hash(username + '\u0000' + secret);
            Optional<Identity> cached = recentlyVerified.get(cacheKey);
            if (cached.isPresent()) {
                return new CallerPrincipal(cached.get(), null);
            }
            identity = user(username, secret);
        }
        if (identity.isEmpty()) {
            throttle.failed(username);
            throw new IncorrectCredentialsException("incorrect username or password");
        }
        throttle.succeeded(username);
        if (cacheKey != null) {
            recentlyVerified.put(cacheKey, identity.get());
        }
        return new CallerPrincipal(identity.get(), null);
    }

    private Optional<Identity> user(String username, String password) {
        Optional<Account> account = accounts.find(username);
        boolean matches = passwords.matches(password.toCharArray(), account.map(Account::passwordHash).orElse(decoyHash));
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
        Optional<Account> account = accounts.find(username).filter(a -> !a.disabled());
        return account.map(a -> new Identity(Identity.Kind.PERSONAL_TOKEN, a.username(), a.sysadmin(), null, token.get().actions()));
    }

    /** The identity behind a token subject, if that account or robot is still usable. */
    Optional<Identity> currentIdentity(String subject) {
        if (subject.startsWith(Robot.PREFIX)) {
            return findRobot(subject).filter(r -> r.usableAt(Instant.now())).map(BerthRealm::robotIdentity);
        }
        return accounts.find(subject).filter(a -> !a.disabled()).map(BerthRealm::userIdentity);
    }

    private Optional<Robot> findRobot(String login) {
        String rest = login.substring(Robot.PREFIX.length());
        int plus = rest.indexOf('+');
        if (plus <= 0) {
            return Optional.empty();
        }
        return robots.find(rest.substring(0, plus), rest.substring(plus + 1));
    }

    private static Identity userIdentity(Account account) {
        return new Identity(Identity.Kind.USER, account.username(), account.sysadmin(), null, EnumSet.allOf(Action.class));
    }

    private static Identity robotIdentity(Robot robot) {
        return new Identity(Identity.Kind.ROBOT, robot.loginName(), false, robot.project(), robot.actions());
    }

    @Override
    protected AuthorizationInfo doGetAuthorizationInfo(PrincipalCollection principals) {
        CallerPrincipal caller = (CallerPrincipal) principals.getPrimaryPrincipal();
        return caller.authorization(() -> authorizationOf(caller));
    }

    private AuthorizationInfo authorizationOf(CallerPrincipal caller) {
        SimpleAuthorizationInfo info = new SimpleAuthorizationInfo();
        if (caller.viaBearerToken()) {
            for (Access a : caller.tokenAccess()) {
                info.addObjectPermission(a.isCatalog() ? new BerthPermission.Catalog()
                        : BerthPermission.OnRepository.repository(a.name(), a.actions()));
            }
            return info;
        }
        info.addObjectPermission(new BerthPermission.Catalog());
        Identity identity = caller.identity();
        if (identity.isAnonymous() && anonymousPush) {
            info.addObjectPermission(BerthPermission.OnRepository.EVERYTHING);
        }
        if (identity.sysadmin() && identity.kind() == Identity.Kind.USER) {
            info.addObjectPermission(BerthPermission.OnRepository.EVERYTHING);
            info.addObjectPermission(new BerthPermission.OnProject(null, true));
            info.addObjectPermission(new BerthPermission.OnSystem());
            return info;
        }
        if (identity.sysadmin() && identity.kind() == Identity.Kind.PERSONAL_TOKEN) {
            info.addObjectPermission(new BerthPermission.OnRepository(null, null, identity.limit()));
            info.addObjectPermission(new BerthPermission.OnProject(null, false));
            return info;
        }
        for (String project : projects.publicProjects()) {
            info.addObjectPermission(BerthPermission.OnRepository.project(project, EnumSet.of(Action.PULL)));
            info.addObjectPermission(new BerthPermission.OnProject(project, false));
        }
        if (identity.kind() == Identity.Kind.ROBOT) {
            info.addObjectPermission(BerthPermission.OnRepository.project(identity.project(), identity.limit()));
            info.addObjectPermission(new BerthPermission.OnProject(identity.project(), false));
        } else if (identity.username() != null) {
            for (Map.Entry<String, Role> role : projects.roles(identity.username()).entrySet()) {
                Set<Action> actions = role.getValue().actions();
                actions.retainAll(identity.limit());
                info.addObjectPermission(BerthPermission.OnRepository.project(role.getKey(), actions));
                info.addObjectPermission(new BerthPermission.OnProject(role.getKey(),
                        role.getValue().manages() && identity.kind() == Identity.Kind.USER));
            }
        }
        return info;
    }

    /** A bearer token that failed verification: the client must get a new one. */
    static final class InvalidBearerToken extends AuthenticationException {
        InvalidBearerToken(String message) {
            super(message);
        }
    }

    /** The account is locked out by the {@link LoginThrottle}. */
    static final class LockedOut extends ExcessiveAttemptsException {
        final long seconds;

        LockedOut(long seconds) {
            super("too many failed logins");
            this.seconds = seconds;
        }
    }
}
