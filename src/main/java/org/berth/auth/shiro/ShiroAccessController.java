package org.berth.auth.shiro;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
import org.berth.auth.AccessController;
import org.berth.auth.AccessRequest;
import org.berth.auth.Grant;
import org.berth.auth.Identity;
import org.berth.auth.LoginAttempt;
import org.berth.auth.LoginThrottle;
import org.berth.auth.PasswordHasher;
import org.berth.auth.Privilege;
import org.berth.auth.RequestIdentity;
import org.berth.auth.token.TokenService;
import org.berth.auth.token.TokenSettings;
import org.berth.domain.AccountStore;
import org.berth.domain.Action;
import org.berth.domain.PersonalTokenStore;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.RobotStore;
import org.berth.infrastructure.config.BerthConfig;

/**
 * The {@link AccessController} built on Apache Shiro: each request gets a stateless Shiro
 * {@link Subject} that logs in with the request's credentials through {@link BerthRealm} and is
 * asked {@code isPermitted} for every access. Nothing Shiro leaves this package.
 */
@ApplicationScoped
public class ShiroAccessController implements AccessController {

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
    TokenSettings tokenSettings;
    @Inject
    LoginThrottle throttle;
    @Inject
    BerthConfig config;
    @Inject
    RequestIdentity requestIdentity;
    @Inject
    Event<LoginAttempt> loginAttempts;

    private DefaultSecurityManager securityManager;
    private BerthRealm realm;

    @PostConstruct
    void init() {
        realm = new BerthRealm(accounts, projects, robots, personalTokens, passwords, tokens, throttle, config.anonymousPush());
        securityManager = new DefaultSecurityManager(realm);
        // Stateless: every request authenticates itself; no Shiro sessions.
        ((DefaultSessionStorageEvaluator) ((DefaultSubjectDAO) securityManager.getSubjectDAO())
                .getSessionStorageEvaluator()).setSessionStorageEnabled(false);
    }

    @Override
    public Grant authorize(AccessRequest request, List<Access> needed) {
        Subject subject = login(request, Credentials.from(request.authorization()), false);
        CallerPrincipal caller = (CallerPrincipal) subject.getPrincipal();
        if (needed.isEmpty() && caller.identity().isAnonymous() && !config.anonymousPush()) {
            throw unauthorized(request, needed, null); // GET /v2/: docker login starts here
        }
        for (Access access : needed) {
            if (access.isCatalog()) {
                if (!subject.isPermitted(new BerthPermission.Catalog())) {
                    throw unauthorized(request, needed, "insufficient_scope");
                }
                continue;
            }
            RepositoryName name = RepositoryName.parse(access.name());
            String project = Project.of(name);
            if (access.actions().contains(Action.PUSH) && !projects.exists(project)) {
                throw new RegistryException.NameUnknown(
                        "project '" + project + "' does not exist: create it before pushing to " + name, name.value());
            }
            if (permitted(subject, name, access.actions())) {
                continue;
            }
            if (caller.identity().isAnonymous() || caller.viaBearerToken()) {
                throw unauthorized(request, needed, caller.viaBearerToken() ? "insufficient_scope" : null);
            }
            if (!subject.isPermitted(new BerthPermission.OnProject(project, false))) {
                throw new RegistryException.NameUnknown(name.value()); // private: not even its existence is told
            }
            throw new RegistryException.Denied("requested access to the resource is denied");
        }
        return new Grant(caller.identity(), needed, () -> visibleProjects(subject, caller));
    }

    @Override
    public Grant grantable(AccessRequest request, String refreshToken, List<Access> requested) {
        AuthenticationToken credentials = refreshToken != null ? new Credentials.Refresh(refreshToken)
                : Credentials.from(request.authorization());
        if (credentials instanceof org.apache.shiro.authc.BearerToken) {
            throw new RegistryException.Unauthorized("the token service takes Basic credentials", basicChallenge());
        }
        Subject subject = login(request, credentials, true);
        CallerPrincipal caller = (CallerPrincipal) subject.getPrincipal();
        if (credentials instanceof UsernamePasswordToken) {
            // The token service issues a token for these credentials: that is one login.
            loginAttempts.fire(new LoginAttempt(caller.identity(), caller.identity().name(), request.remoteAddress(), true, null));
        }
        List<Access> granted = new ArrayList<>();
        for (Access access : requested) {
            if (access.isCatalog()) {
                if (subject.isPermitted(new BerthPermission.Catalog())) {
                    granted.add(access);
                }
                continue;
            }
            RepositoryName name = RepositoryName.parse(access.name());
            Set<Action> allowed = access.actions().stream()
                    .filter(a -> permitted(subject, name, EnumSet.of(a)))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Action.class)));
            granted.add(Access.repository(name.value(), allowed));
        }
        return new Grant(caller.identity(), granted, () -> visibleProjects(subject, caller));
    }

    @Override
    public Identity authenticate(AccessRequest request) {
        AuthenticationToken credentials = Credentials.from(request.authorization());
        Subject subject = login(request, credentials, true);
        CallerPrincipal caller = (CallerPrincipal) subject.getPrincipal();
        if (caller.viaBearerToken() && caller.identity().kind() != Identity.Kind.PERSONAL_TOKEN) {
            // A bearer token from the token service names its subject; its rights here are the account's.
            // One obtained with a personal access token stays a personal-token identity (no account rights).
            Identity account = realm.currentIdentity(caller.identity().name())
                    .orElseThrow(() -> new RegistryException.Unauthorized("the account is no longer usable", basicChallenge()));
            remember(account);
            return account;
        }
        return caller.identity();
    }

    @Override
    public void check(Identity identity, Privilege privilege, String target) {
        Subject subject = new Subject.Builder(securityManager)
                .principals(new SimplePrincipalCollection(new CallerPrincipal(identity, null), realm.getName()))
                .authenticated(true)
                .sessionCreationEnabled(false)
                .buildSubject();
        boolean allowed = switch (privilege) {
            case SYSTEM_ADMIN -> subject.isPermitted(new BerthPermission.OnSystem());
            case SIGNED_IN -> identity.username() != null;
            // Passwords and tokens are managed by the account itself, signed in with its password:
            // a personal access token never reaches further than its own actions.
            case ACCOUNT_SELF -> subject.isPermitted(new BerthPermission.OnSystem())
                    || identity.kind() == Identity.Kind.USER && identity.name().equals(target);
            case PROJECT_READ -> projectExists(target) && subject.isPermitted(new BerthPermission.OnProject(target, false));
            case PROJECT_ADMIN -> projectExists(target) && subject.isPermitted(new BerthPermission.OnProject(target, true));
            // The same actions the /v2 routes ask for (OciAccessFilter): PUT needs pull and push, DELETE needs delete.
            case REPOSITORY_PUSH -> projectExists(projectOf(target))
                    && permitted(subject, RepositoryName.parse(target), EnumSet.of(Action.PULL, Action.PUSH));
            case REPOSITORY_DELETE -> projectExists(projectOf(target))
                    && permitted(subject, RepositoryName.parse(target), EnumSet.of(Action.DELETE));
        };
        if (allowed) {
            return;
        }
        if (identity.isAnonymous()) {
            throw new RegistryException.Unauthorized("authentication required", basicChallenge());
        }
        String project = switch (privilege) {
            case PROJECT_READ, PROJECT_ADMIN -> target;
            case REPOSITORY_PUSH, REPOSITORY_DELETE -> projectOf(target);
            default -> null;
        };
        if (project != null && !(projectExists(project) && subject.isPermitted(new BerthPermission.OnProject(project, false)))) {
            throw new RegistryException.NameUnknown("project not found", project);
        }
        throw new RegistryException.Denied("you are not allowed to do this");
    }

    private static String projectOf(String repository) {
        return Project.of(RepositoryName.parse(repository));
    }

    private boolean projectExists(String project) {
        return project != null && projects.find(project).isPresent();
    }

    private static boolean permitted(Subject subject, RepositoryName name, Set<Action> actions) {
        return actions.isEmpty() || subject.isPermitted(BerthPermission.OnRepository.repository(name.value(), actions));
    }

    private Subject login(AccessRequest request, AuthenticationToken credentials, boolean basicChallenge) {
        Subject subject = new Subject.Builder(securityManager).sessionCreationEnabled(false).buildSubject();
        try {
            remembered().ifPresent(r -> r.attempted(request.remoteAddress()));
            subject.login(credentials);
            remember(((CallerPrincipal) subject.getPrincipal()).identity());
            return subject;
        } catch (BerthRealm.LockedOut e) {
            failedLogin(credentials, request, "account locked after repeated failures");
            throw new RegistryException.TooManyRequests(
                    "too many failed logins for this account: try again later", e.seconds);
        } catch (BerthRealm.InvalidBearerToken e) {
            throw new RegistryException.Unauthorized(e.getMessage(),
                    bearerChallenge(request, List.of(), "invalid_token"));
        } catch (AuthenticationException | Credentials.Malformed e) {
            failedLogin(credentials, request, "incorrect username or password");
            throw new RegistryException.Unauthorized("incorrect username or password",
                    basicChallenge ? basicChallenge() : bearerChallenge(request, List.of(), null));
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

    private Set<String> visibleProjects(Subject subject, CallerPrincipal caller) {
        if (subject.isPermitted(new BerthPermission.OnRepository(null, null, EnumSet.of(Action.PULL)))) {
            return null;
        }
        Set<String> candidates = new LinkedHashSet<>(projects.publicProjects());
        Identity identity = caller.identity();
        if (identity.project() != null) {
            candidates.add(identity.project());
        }
        if (identity.username() != null) {
            candidates.addAll(projects.roles(identity.username()).keySet());
        }
        if (caller.viaBearerToken()) {
            caller.tokenAccess().stream().filter(a -> !a.isCatalog())
                    .forEach(a -> candidates.add(Project.of(RepositoryName.parse(a.name()))));
        }
        Set<String> visible = new HashSet<>();
        for (String project : candidates) {
            if (subject.isPermitted(new BerthPermission.OnRepository(project, null, EnumSet.of(Action.PULL)))
                    || caller.viaBearerToken() && caller.tokenAccess().stream().anyMatch(a -> !a.isCatalog()
                    && a.actions().contains(Action.PULL) && Project.of(RepositoryName.parse(a.name())).equals(project))) {
                visible.add(project);
            }
        }
        return visible;
    }

    private RegistryException.Unauthorized unauthorized(AccessRequest request, List<Access> needed, String error) {
        return new RegistryException.Unauthorized("authentication required", bearerChallenge(request, needed, error));
    }

    /** Docker token spec: {@code Bearer realm="…/service/token",service="…",scope="…"[,error="…"]}. */
    private String bearerChallenge(AccessRequest request, List<Access> needed, String error) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(request.baseUrl()).append("/service/token\"")
                .append(",service=\"").append(tokenSettings.service()).append('"');
        if (!needed.isEmpty()) {
            challenge.append(",scope=\"").append(needed.stream().map(Access::scope).collect(Collectors.joining(" "))).append('"');
        }
        if (error != null) {
            challenge.append(",error=\"").append(error).append('"');
        }
        return challenge.toString();
    }

    private static String basicChallenge() {
        return "Basic realm=\"Berth\"";
    }
}
