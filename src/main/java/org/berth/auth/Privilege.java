package org.berth.auth;

/**
 * Rights checked by the administration API, beyond the repository actions of /v2. Where a
 * privilege names a project (directly or through a repository), a caller that may not see that
 * project is told it does not exist, exactly as for a project that does not.
 */
public enum Privilege {
    /** Anyone, anonymous too: the route shows each caller what it may see (the project list). */
    ANYONE,
    /** Manage users, quotas, and every project. Target, when given: the project it is about (kept hidden from outsiders). */
    SYSTEM_ADMIN,
    /** Be any signed-in caller with an account or a robot (not anonymous). */
    SIGNED_IN,
    /** See a project: public, or a role in it. Target: the project name. */
    PROJECT_READ,
    /**
     * Read what only a project's maintainers and admins see: its retention and immutable-tag
     * policies. Target: the project name.
     */
    PROJECT_MAINTAIN,
    /** Manage a project: its visibility, members, robots, deletion. Target: the project name. */
    PROJECT_ADMIN,
    /**
     * Act on a user account with its password: oneself, or any as a system administrator. Never
     * through a personal access token or a robot, nor a token made from one. Target: the username
     * (null: the caller's own account).
     */
    ACCOUNT_SELF,
    /** See a repository: read its project. Target: the repository name. */
    REPOSITORY_READ,
    /** Push to a repository (pull and push, as a /v2 PUT needs): add a tag. Target: the repository name. */
    REPOSITORY_PUSH,
    /** Delete from a repository (as a /v2 DELETE needs): tags, artifacts, the repository. Target: the repository name. */
    REPOSITORY_DELETE,
    /** Read the audit log: all of it as a system administrator, one project's as its admin. Target: the project, or null for all. */
    AUDIT_READ
}
