package org.berth.auth;

/** Rights checked by the administration API, beyond the repository actions of /v2. */
public enum Privilege {
    /** Manage users, quotas, and every project. */
    SYSTEM_ADMIN,
    /** Be any signed-in user (create a project, manage one's own tokens). */
    SIGNED_IN,
    /** See a project: public, or a role in it. Target: the project name. */
    PROJECT_READ,
    /** Manage a project: its visibility, members, robots, deletion. Target: the project name. */
    PROJECT_ADMIN,
    /** Act on a user account: oneself, or any as a system administrator. Target: the username. */
    ACCOUNT_SELF,
    /** Push to a repository (pull and push, as a /v2 PUT needs): add a tag. Target: the repository name. */
    REPOSITORY_PUSH,
    /** Delete from a repository (as a /v2 DELETE needs): tags, artifacts, the repository. Target: the repository name. */
    REPOSITORY_DELETE
}
