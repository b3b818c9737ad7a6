package org.berth.auth.shiro;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.subject.Subject;
import org.berth.auth.Access;
import org.berth.auth.AccessController;
import org.berth.auth.AccessRequest;
import org.berth.auth.Challenges;
import org.berth.auth.Grant;
import org.berth.auth.Identity;
import org.berth.auth.Privilege;
import org.berth.domain.Action;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.infrastructure.config.BerthConfig;

/**
 * The {@link AccessController} built on Apache Shiro: {@link ShiroAuthentication} says who calls
 * (with the bounds of the credential), {@link ShiroAuthorization} decides, {@link Challenges}
 * writes what a refused client is asked for. Nothing Shiro leaves this package.
 */
@ApplicationScoped
public class ShiroAccessController implements AccessController {

    @Inject
    ShiroAuthentication authentication;
    @Inject
    ShiroAuthorization authorization;
    @Inject
    Challenges challenges;
    @Inject
    ProjectStore projects;
    @Inject
    BerthConfig config;

    @Override
    public Grant authorize(AccessRequest request, List<Access> needed) {
        Subject subject = authentication.login(request, Credentials.from(request.authorization()), false);
        CallerPrincipal caller = ShiroAuthentication.principal(subject);
        if (needed.isEmpty() && caller.identity().isAnonymous() && !config.anonymousPush()) {
            throw unauthorized(request, needed, null); // GET /v2/: docker login starts here
        }
        for (Access access : needed) {
            if (access.isCatalog()) {
                if (!authorization.catalog(subject)) {
                    throw unauthorized(request, needed, "insufficient_scope");
                }
                continue;
            }
            RepositoryName name = RepositoryName.parse(access.name());
            String project = Project.of(name);
            if (authorization.permitted(subject, name, access.actions())) {
                // only a caller who may push anywhere learns that a project is missing
                if (access.actions().contains(Action.PUSH) && !projects.exists(project)) {
                    throw new RegistryException.NameUnknown(
                            "project '" + project + "' does not exist: create it before pushing to " + name, name.value());
                }
                continue;
            }
            if (caller.identity().isAnonymous() || caller.viaBearerToken()) {
                throw unauthorized(request, needed, caller.viaBearerToken() ? "insufficient_scope" : null);
            }
            if (!authorization.knows(subject, project)) {
                throw new RegistryException.NameUnknown(name.value()); // private or missing: answered alike
            }
            throw new RegistryException.Denied("requested access to the resource is denied");
        }
        return new Grant(caller.identity(), needed, () -> visibleProjects(caller, subject));
    }

    @Override
    public Grant grantable(AccessRequest request, String refreshToken, List<Access> requested) {
        AuthenticationToken credentials = refreshToken != null ? new Credentials.Refresh(refreshToken)
                : Credentials.from(request.authorization());
        if (credentials instanceof BearerToken) {
            throw new RegistryException.Unauthorized("the token service takes Basic credentials", Challenges.basic());
        }
        Subject subject = authentication.login(request, credentials, true);
        authentication.loggedIn(subject, credentials, request);
        CallerPrincipal caller = ShiroAuthentication.principal(subject);
        List<Access> granted = new ArrayList<>();
        for (Access access : requested) {
            if (access.isCatalog()) {
                if (authorization.catalog(subject)) {
                    granted.add(access);
                }
            } else if (access.isApi()) {
                if (!caller.identity().isAnonymous()) {
                    granted.add(access); // the API then checks each call against the credential as it is then
                }
            } else {
                RepositoryName name = RepositoryName.parse(access.name());
                Set<Action> allowed = access.actions().stream()
                        .filter(a -> authorization.permitted(subject, name, EnumSet.of(a)))
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Action.class)));
                granted.add(Access.repository(name.value(), allowed));
            }
        }
        return new Grant(caller.identity(), granted, () -> authorization.visibleProjects(subject, caller.identity()));
    }

    @Override
    public Identity authenticate(AccessRequest request) {
        return authentication.apiCaller(request);
    }

    @Override
    public void check(Identity identity, Privilege privilege, String target) {
        authorization.check(authentication.subjectOf(identity), identity, privilege, target);
    }

    @Override
    public Set<String> visibleProjects(Identity identity) {
        return authorization.visibleProjects(authentication.subjectOf(identity), identity);
    }

    /**
     * A bearer token's own claims say which repositories it may touch, not which the subject may
     * list: for the catalog the subject is looked up as it is now (nothing if its credential is gone).
     */
    private Set<String> visibleProjects(CallerPrincipal caller, Subject subject) {
        if (!caller.viaBearerToken()) {
            return authorization.visibleProjects(subject, caller.identity());
        }
        Identity current = authentication.current(caller.identity()).orElse(Identity.ANONYMOUS);
        return visibleProjects(current);
    }

    private RegistryException.Unauthorized unauthorized(AccessRequest request, List<Access> needed, String error) {
        return new RegistryException.Unauthorized("authentication required", challenges.bearer(request, needed, error));
    }
}
