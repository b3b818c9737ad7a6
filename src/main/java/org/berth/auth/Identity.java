package org.berth.auth;

import java.util.EnumSet;
import java.util.Set;

import org.berth.domain.Action;

/**
 * Who is calling, once authenticated: nobody (anonymous), a user (with a password or a bearer
 * token), a user through a personal access token (limited to its actions), or a robot account
 * (limited to its project and actions).
 *
 * @param kind    how the caller authenticated
 * @param name    the username, or the robot's login name ({@code robot$project+name}); "anonymous"
 * @param sysadmin whether the user is a system administrator (never for robots and tokens)
 * @param project the robot's project; null otherwise
 * @param limit   the actions the credential may use at most (robots, personal tokens); all for users
 */
public record Identity(Kind kind, String name, boolean sysadmin, String project, Set<Action> limit) {

    public enum Kind { ANONYMOUS, USER, PERSONAL_TOKEN, ROBOT }

    public static final Identity ANONYMOUS = new Identity(Kind.ANONYMOUS, "anonymous", false, null, EnumSet.of(Action.PULL));

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    /** The account whose project roles apply: the user itself, or the owner of a personal token. */
    public String username() {
        return kind == Kind.USER || kind == Kind.PERSONAL_TOKEN ? name : null;
    }
}
