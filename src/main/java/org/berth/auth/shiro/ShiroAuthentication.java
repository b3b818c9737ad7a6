package org.berth.auth.shiro;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.apache.shiro.mgt.DefaultSessionStorageEvaluator;
import org.apache.shiro.mgt.DefaultSubjectDAO;
import org.apache.shiro.subject.SimplePrincipalCollection;
import org.apache.shiro.subject.Subject;
import org.berth.auth.Access;
import org.berth.auth.AccessRequest;
import org.berth.auth.Challenges;
import org.berth.auth.Identity;
import org.berth.auth.LoginAttempt;
import org.berth.auth.LoginThrottle;
import org.berth.auth.PasswordHasher;
import org.berth.auth.RequestIdentity;
import org.berth.auth.token.TokenService;
import org.berth.domain.AccountStore;
import org.berth.domain.PersonalTokenStore;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RobotStore;
import org.berth.infrastructure.config.BerthConfig;

/**
 * Authentication: the request's credentials to an {@link Identity} with the bounds of its
 * credential, as a stateless Shiro {@link Subject} (no sessions: every request authenticates
 * itself). Refusals become 401s with their challenge, or 429 while an account is locked out; failed
 * logins are announced as {@link LoginAttempt}s, and the identity is remembered for the audit log.
 */
@ApplicationScoped
public class ShiroAuthentication {

    @Inject
    AccountStore accounts;
    @Inject
    ProjectStore projects;
    @Inject
    RobotStore robots;
    @Inject
    PersonalTokenStore personalTokens;
    @Inject
    PasswordHasher passwords;
    @Inject
    TokenService tokens;
    @Inject
    LoginThrottle throttle;
    @Inject
    BerthConfig config;
    @Inject
    RequestIdentity requestIdentity;
    @Inject
    Event<LoginAttempt> loginAttempts;
    @Inject
    Challenges challenges;

    private DefaultSecurityManager securityManager;
    private CredentialCheck credentials;
    private BerthRealm realm;

    @PostConstruct
    void init() {
        credentials = new CredentialCheck(accounts, robots, personalTokens, passwords, tokens, throttle);
        realm = new BerthRealm(credentials, projects, config.anonymousPush());
        securityManager = new DefaultSecurityManager(realm);
        // Stateless: every request authenticates itself; no Shiro sessions.
        ((DefaultSessionStorageEvaluator) ((DefaultSubjectDAO) securityManager.getSubjectDAO())
                .getSessionStorageEvaluator()).setSessionStorageEnabled(false);
    }

    /**
     * Logs the credentials in.
     *
     * @param basicChallenge whether a refusal asks for Basic credentials (token service, /api)
     *                       rather than for a bearer token (/v2)
     */
    public Subject login(AccessRequest request, AuthenticationToken credentials, boolean basicChallenge) {
        Subject subject = new Subject.Builder(securityManager).sessionCreationEnabled(false).buildSubject();
        try {
            remembered().ifPresent(r -> r.attempted(request.remoteAddress()));
            subject.login(credentials);
            remember(principal(subject).identity());
            return subject;
        } catch (BerthRealm.LockedOut e) {
            failedLogin(credentials, request, "account locked after repeated failures");
            throw new RegistryException.TooManyRequests(
                    "too many failed logins for this account: try again later", e.seconds);
        } catch (BerthRealm.InvalidBearerToken e) {
            throw new RegistryException.Unauthorized(e.getMessage(),
                    challenges.bearer(request, List.of(), "invalid_token"));
        } catch (AuthenticationException | Credentials.Malformed e) {
            failedLogin(credentials, request, "incorrect username or password");
            throw new RegistryException.Unauthorized("incorrect username or password",
                    basicChallenge ? Challenges.basic() : challenges.bearer(request, List.of(), null));
        }
    }

    /** The caller of the administration API: Basic credentials, none, or a token issued for the API. */
    public Identity apiCaller(AccessRequest request) {
        Subject subject = login(request, Credentials.from(request.authorization()), true);
        CallerPrincipal caller = principal(subject);
        if (!caller.viaBearerToken()) {
            return caller.identity();
        }
        if (caller.tokenAccess().stream().noneMatch(Access::isApi)) {
            throw new RegistryException.Unauthorized("this token is for /v2/ only: the administration API takes Basic"
                    + " credentials or a token issued for the scope " + Access.api().scope(), Challenges.basic());
        }
        Identity current = current(caller.identity()).orElseThrow(() -> new RegistryException.Unauthorized(
                "the credential this token was made from is no longer usable", Challenges.basic()));
        remember(current);
        return current;
    }

    /** What a token's subject is worth now (see {@link CredentialCheck#current}). */
    public Optional<Identity> current(Identity claimed) {
        return credentials.current(claimed);
    }

    /** A subject for an identity already authenticated: its rights come from roles and limits. */
    public Subject subjectOf(Identity identity) {
        return new Subject.Builder(securityManager)
                .principals(new SimplePrincipalCollection(new CallerPrincipal(identity, null), realm.getName()))
                .authenticated(true)
                .sessionCreationEnabled(false)
                .buildSubject();
    }

    static CallerPrincipal principal(Subject subject) {
        return (CallerPrincipal) subject.getPrincipal();
    }

    /** The token service issues a token for these credentials: that is one login. */
    public void loggedIn(Subject subject, AuthenticationToken credentials, AccessRequest request) {
        if (credentials instanceof UsernamePasswordToken) {
            Identity identity = principal(subject).identity();
            loginAttempts.fire(new LoginAttempt(identity, identity.name(), request.remoteAddress(), true, null));
        }
    }

    /** A username and password (or robot secret, or personal token) refused: a failed login. */
    private void failedLogin(AuthenticationToken credentials, AccessRequest request, String why) {
        if (credentials instanceof UsernamePasswordToken password) {
            loginAttempts.fire(new LoginAttempt(null, password.getUsername(), request.remoteAddress(), false, why));
        }
    }

    private void remember(Identity identity) {
        remembered().ifPresent(r -> r.authenticated(identity));
    }

    /** The request's identity holder; absent outside an HTTP request (nothing to remember then). */
    private Optional<RequestIdentity> remembered() {
        try {
            requestIdentity.identity(); // touches the proxy: throws when no request is active
            return Optional.of(requestIdentity);
        } catch (ContextNotActiveException e) {
            return Optional.empty();
        }
    }
}
