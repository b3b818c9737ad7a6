package org.berth.auth;

import java.util.EnumSet;
import java.util.Set;

import org.berth.domain.Action;

/**
 * Who is calling, once authenticated, with the bounds of the credential it authenticated with:
 * nobody (anonymous), a user (with a password or a token made from one), a user through a personal
 * access token (limited to its actions), or a robot account (limited to its project and actions).
 * A token made from a credential carries these bounds and is checked against them again whenever
 * it is refreshed or used on the administration API: it never reaches past what it was made from.
 *
 * @param kind              how the caller authenticated
 * @param name              the username, or the robot's login name ({@code robot$project+name}); "anonymous"
 * @param sysadmin          whether the user is a system administrator (never for robots)
 * @param project           the robot's project; null otherwise
 * @param limit             the actions the credential may use at most (robots, personal tokens); all for users
 * @param credentialId      the personal access token's id; null for other kinds
 * @param credentialVersion the account's {@link org.berth.domain.Account#credentialVersion()} when the
 *                          credential was checked (users and personal tokens); 0 otherwise
 */
public record Identity(Kind kind, String name, boolean sysadmin, String project, Set<Action> limit,
                       Long credentialId, long credentialVersion) {

    public enum Kind { ANONYMOUS, USER, PERSONAL_TOKEN, ROBOT }

    public static final Identity ANONYMOUS = new Identity(Kind.ANONYMOUS, "anonymous", false, null, EnumSet.of(Action.PULL));

    public Identity {
        limit = limit.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(limit);
    }

    /** An identity whose credential has no id and no account version (tests, anonymous). */
    public Identity(Kind kind, String name, boolean sysadmin, String project, Set<Action> limit) {
        this(kind, name, sysadmin, project, limit, null, 0);
    }

    /** A copy: callers may narrow it. */
    @Override
    public Set<Action> limit() {
        return EnumSet.copyOf(limit); // an EnumSet since construction, so an empty one copies too
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    /** The account whose project roles apply: the user itself, or the owner of a personal token. */
    public String username() {
        return kind == Kind.USER || kind == Kind.PERSONAL_TOKEN ? name : null;
    }
}
