package org.berth.auth.shiro;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.ExcessiveAttemptsException;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authc.credential.AllowAllCredentialsMatcher;
import org.apache.shiro.authz.AuthorizationInfo;
import org.apache.shiro.authz.SimpleAuthorizationInfo;
import org.apache.shiro.realm.AuthorizingRealm;
import org.apache.shiro.subject.PrincipalCollection;
import org.berth.auth.Access;
import org.berth.auth.Identity;
import org.berth.auth.token.TokenService;
import org.berth.domain.Action;
import org.berth.domain.ProjectStore;
import org.berth.domain.Role;

/**
 * Berth's one Shiro realm. Authentication is {@link CredentialCheck}'s (passwords, robot secrets,
 * personal access tokens, bearer and refresh tokens, and the anonymous caller); this class
 * authorizes: from project roles within a robot's or personal token's limits, or from a bearer
 * token's own access claims. Credentials are checked there (in constant time), so the
 * credentials matcher allows all.
 */
class BerthRealm extends AuthorizingRealm {

    private final CredentialCheck credentials;
    private final ProjectStore projects;
    private final boolean anonymousPush;

    BerthRealm(CredentialCheck credentials, ProjectStore projects, boolean anonymousPush) {
        super(new AllowAllCredentialsMatcher());
        this.credentials = credentials;
        this.projects = projects;
        this.anonymousPush = anonymousPush;
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
            // On /v2 a bearer token's rights are its access claim; the identity names the caller and
            // the bounds of its credential (no database look-up per request).
            TokenService.Verified verified = credentials.bearer(bearer.getToken());
            principal = new CallerPrincipal(verified.claimed(), verified.access());
        } else if (token instanceof Credentials.Refresh refresh) {
            principal = new CallerPrincipal(credentials.refresh(refresh.token()), null);
        } else {
            principal = new CallerPrincipal(credentials.password((UsernamePasswordToken) token), null);
        }
        return new SimpleAuthenticationInfo(principal, token.getCredentials(), getName());
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
                if (a.isCatalog()) {
                    info.addObjectPermission(new BerthPermission.Catalog());
                } else if (a.isRepository()) {
                    info.addObjectPermission(BerthPermission.OnRepository.repository(a.name(), a.actions()));
                }
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
            info.addObjectPermission(new BerthPermission.OnProject(null, BerthPermission.OnProject.Level.ADMIN));
            info.addObjectPermission(new BerthPermission.OnSystem());
            return info;
        }
        if (identity.sysadmin() && identity.kind() == Identity.Kind.PERSONAL_TOKEN) {
            info.addObjectPermission(new BerthPermission.OnRepository(null, null, identity.limit()));
            info.addObjectPermission(new BerthPermission.OnProject(null, BerthPermission.OnProject.Level.SEE));
            return info;
        }
        for (String project : projects.publicProjects()) {
            info.addObjectPermission(BerthPermission.OnRepository.project(project, EnumSet.of(Action.PULL)));
            info.addObjectPermission(new BerthPermission.OnProject(project, BerthPermission.OnProject.Level.SEE));
        }
        if (identity.kind() == Identity.Kind.ROBOT) {
            info.addObjectPermission(BerthPermission.OnRepository.project(identity.project(), identity.limit()));
            info.addObjectPermission(new BerthPermission.OnProject(identity.project(), BerthPermission.OnProject.Level.SEE));
        } else if (identity.username() != null) {
            for (Map.Entry<String, Role> role : projects.roles(identity.username()).entrySet()) {
                Set<Action> actions = role.getValue().actions();
                actions.retainAll(identity.limit());
                info.addObjectPermission(BerthPermission.OnRepository.project(role.getKey(), actions));
                info.addObjectPermission(new BerthPermission.OnProject(role.getKey(), level(role.getValue(), identity)));
            }
        }
        return info;
    }

    /** A project's role gives more than sight only to an account signed in with its password (or a token made from it). */
    private static BerthPermission.OnProject.Level level(Role role, Identity identity) {
        if (identity.kind() != Identity.Kind.USER) {
            return BerthPermission.OnProject.Level.SEE;
        }
        return switch (role) {
            case PROJECT_ADMIN -> BerthPermission.OnProject.Level.ADMIN;
            case MAINTAINER -> BerthPermission.OnProject.Level.MAINTAIN;
            case DEVELOPER, GUEST -> BerthPermission.OnProject.Level.SEE;
        };
    }

    /** A bearer token that failed verification: the client must get a new one. */
    static final class InvalidBearerToken extends AuthenticationException {
        InvalidBearerToken(String message) {
            super(message);
        }
    }

    /** The account is locked out by the {@link org.berth.auth.LoginThrottle}. */
    static final class LockedOut extends ExcessiveAttemptsException {
        final long seconds;

        LockedOut(long seconds) {
            super("too many failed logins");
            this.seconds = seconds;
        }
    }
}
