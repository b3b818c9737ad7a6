package org.berth.api.admin;

/**
 * Every path of the administration API, relative to {@code /api} ({@link AdminApplication}),
 * with the right each route declares ({@link Requires} on its method, checked by
 * {@link AdminAccessFilter} before the body is read):
 *
 * <pre>
 * POST   v1/users                             SYSTEM_ADMIN   create a user
 * GET    v1/users?page&amp;page_size             SYSTEM_ADMIN   list users (X-Total-Count)
 * GET    v1/users/current                     SIGNED_IN      the caller's account
 * GET    v1/users/{username}                  ACCOUNT_SELF   one account
 * PUT    v1/users/{username}/password         ACCOUNT_SELF   change (own: old password needed) or reset
 * PATCH  v1/users/{username}                  SYSTEM_ADMIN   disabled, sysadmin
 * GET    v1/users/current/tokens              ACCOUNT_SELF   own personal access tokens
 * POST   v1/users/current/tokens              ACCOUNT_SELF   create one (the token is shown once)
 * DELETE v1/users/current/tokens/{name}       ACCOUNT_SELF   revoke one
 * POST   v1/projects                          ACCOUNT_SELF   create (the creator becomes project admin)
 * GET    v1/projects?page&amp;page_size&amp;name     ANYONE         the projects the caller may see
 * GET    v1/projects/{project}                PROJECT_READ   one project (404 when it may not be seen)
 * PATCH  v1/projects/{project}                PROJECT_ADMIN  visibility
 * DELETE v1/projects/{project}                PROJECT_ADMIN  delete when it has no repositories
 * GET    v1/projects/{project}/members        PROJECT_ADMIN  members and roles
 * POST   v1/projects/{project}/members        PROJECT_ADMIN  add a member
 * PUT    v1/projects/{project}/members/{user} PROJECT_ADMIN  change a role
 * DELETE v1/projects/{project}/members/{user} PROJECT_ADMIN  remove a member
 * GET    v1/projects/{project}/robots         PROJECT_ADMIN  robot accounts (never secrets)
 * POST   v1/projects/{project}/robots         PROJECT_ADMIN  create one (the secret is shown once)
 * PATCH  v1/projects/{project}/robots/{robot} PROJECT_ADMIN  disable or enable
 * DELETE v1/projects/{project}/robots/{robot} PROJECT_ADMIN  delete
 * GET    v1/projects/{project}/repositories?page&amp;page_size&amp;q&amp;sort
 *                                             PROJECT_READ   repositories (sort: name, -name, last_push, -last_push,
 *                                                            pull_count, -pull_count, artifact_count, -artifact_count)
 * GET    v1/projects/{project}/immutable-tags PROJECT_MAINTAIN  immutable-tag rules
 * POST   v1/projects/{project}/immutable-tags PROJECT_ADMIN  add one ({"name", "repository", "tag"}: selectors)
 * PATCH  v1/projects/{project}/immutable-tags/{id} SYSTEM_ADMIN  lift ({"disabled": true}) or restore one
 * DELETE v1/projects/{project}/immutable-tags/{id} SYSTEM_ADMIN  delete one
 * GET    v1/projects/{project}/summary        PROJECT_READ   counts, logical and physical bytes, quota
 * GET    v1/projects/{project}/quota          PROJECT_READ   limit and usage
 * PUT    v1/projects/{project}/quota          SYSTEM_ADMIN   set the limit ({"limit_bytes": N}, -1 = unlimited)
 * GET    v1/repositories/{name}               REPOSITORY_READ  one repository ({name} with its slashes)
 * DELETE v1/repositories/{name}               REPOSITORY_DELETE  the repository, its tags, manifests and links
 * GET    v1/repositories/{name}/artifacts?page&amp;page_size  REPOSITORY_READ  artifacts, newest push first
 * GET    v1/repositories/{name}/artifacts/{reference}       REPOSITORY_READ  one artifact, by digest or tag
 * DELETE v1/repositories/{name}/artifacts/{digest}          REPOSITORY_DELETE  an artifact and its tags
 * POST   v1/repositories/{name}/artifacts/{digest}/tags     REPOSITORY_PUSH    tag it ({"name": "v2"})
 * DELETE v1/repositories/{name}/tags/{tag}                  REPOSITORY_DELETE  a tag (the artifact stays)
 * GET    v1/audit-logs?project&amp;username&amp;...  AUDIT_READ     the audit log (a project's for its PROJECT_ADMIN)
 * GET    v1/projects/{project}/audit-logs     PROJECT_ADMIN  the project's audit log
 * GET    v1/systeminfo                        SIGNED_IN      version; everything else SYSTEM_ADMIN
 * GET    v1/system/gc                         SYSTEM_ADMIN   garbage collection: settings, the running and the last run
 * POST   v1/system/gc                         SYSTEM_ADMIN   start a run ({"dry_run": b, "delete_untagged": b}): 202; 409 while one runs
 * POST   v1/system/gc/cancel                  SYSTEM_ADMIN   ask the running run to stop: 202; 409 when none runs
 * GET    v1/system/gc/runs?page&amp;page_size    SYSTEM_ADMIN   the last 50 runs, newest first (X-Total-Count)
 * GET    v1/system/gc/runs/{id}               SYSTEM_ADMIN   one run
 * GET    v1/projects/{project}/retention      PROJECT_MAINTAIN  the retention policy (rules, schedule, enabled, run_gc)
 * PUT    v1/projects/{project}/retention      PROJECT_ADMIN  save it; enabling quotes a preview's rules_fingerprint
 *                                                            and answers the preview with the policy (409 otherwise)
 * POST   v1/projects/{project}/retention/preview  PROJECT_MAINTAIN  what the rules ({"rules": [...]}, else the saved
 *                                                            ones) would delete now, and why each survivor stays
 * POST   v1/projects/{project}/retention/runs PROJECT_ADMIN  start a run of the enabled policy: 202; 409 while one runs
 * GET    v1/projects/{project}/retention/runs?page&amp;page_size  PROJECT_MAINTAIN  the last 50 runs, newest first
 * GET    v1/projects/{project}/retention/runs/{id}  PROJECT_MAINTAIN  one run with what it deleted (first 1,000)
 * POST   v1/registries                        SYSTEM_ADMIN   add a registry endpoint (url, username, password, verify_tls)
 * GET    v1/registries?page&amp;page_size        SYSTEM_ADMIN   registry endpoints by name (X-Total-Count; never a password)
 * GET    v1/registries/{registry}             SYSTEM_ADMIN   one endpoint
 * PATCH  v1/registries/{registry}             SYSTEM_ADMIN   change url, username, password ("" or null: none), verify_tls
 * DELETE v1/registries/{registry}             SYSTEM_ADMIN   delete: 204; 409 while a proxy project uses it
 * POST   v1/registries/{registry}/ping        SYSTEM_ADMIN   test the connection: {"ok", "duration_ms"} or {"ok", "reason", "message"}
 * GET    v1/projects/{project}/webhooks?page&amp;page_size  PROJECT_ADMIN  webhooks by name (never a secret or auth header)
 * POST   v1/projects/{project}/webhooks       PROJECT_ADMIN  add one (name, url, event_types, auth_header, verify_tls,
 *                                                            format, enabled): 201 with the secret, shown once
 * GET    v1/projects/{project}/webhooks/{webhook}  PROJECT_ADMIN  one webhook
 * PATCH  v1/projects/{project}/webhooks/{webhook}  PROJECT_ADMIN  change any field (auth_header null or "": none)
 * DELETE v1/projects/{project}/webhooks/{webhook}  PROJECT_ADMIN  delete it with its delivery log
 * POST   v1/projects/{project}/webhooks/{webhook}/secret  PROJECT_ADMIN  a new secret, shown once
 * GET    v1/projects/{project}/webhooks/{webhook}/deliveries?page&amp;page_size  PROJECT_ADMIN  its deliveries, newest first
 * POST   v1/projects/{project}/webhooks/{webhook}/deliveries/{delivery}/redeliver  PROJECT_ADMIN  send again: 202
 * GET    v1/replication/rules?page&amp;page_size  SYSTEM_ADMIN   replication rules by name (X-Total-Count)
 * POST   v1/replication/rules                 SYSTEM_ADMIN   create one: 201 with the rule (Location)
 * GET    v1/replication/rules/{rule}          SYSTEM_ADMIN   one rule with its last execution
 * PATCH  v1/replication/rules/{rule}          SYSTEM_ADMIN   change any field but name
 * DELETE v1/replication/rules/{rule}          SYSTEM_ADMIN   delete it with its executions: 204; 409 while one runs
 * POST   v1/replication/rules/{rule}/executions  SYSTEM_ADMIN  start a manual run: 202; 409 while one of the rule runs
 * GET    v1/replication/executions?rule&amp;page&amp;page_size  SYSTEM_ADMIN  executions, newest first (X-Total-Count)
 * GET    v1/replication/executions/{id}       SYSTEM_ADMIN   one execution with its progress
 * POST   v1/replication/executions/{id}/retry SYSTEM_ADMIN   a new execution of its failed tasks: 202; 409 when none failed
 * POST   v1/replication/executions/{id}/stop  SYSTEM_ADMIN   ask it to stop: 202; 409 when it has ended
 * GET    v1/replication/executions/{id}/tasks?status&amp;page&amp;page_size  SYSTEM_ADMIN  its tasks (X-Total-Count)
 * </pre>
 *
 * A repository name is matched with a regex, like the /v2 routes: {@code team-a/app/api/artifacts}
 * is the artifact listing of {@code team-a/app/api} (a repository whose name ends in
 * {@code /artifacts} or {@code /tags/X} is reached through its parent's routes, as with /v2's
 * {@code /manifests}).
 *
 * Operations for "one's own account" ask for ACCOUNT_SELF without a target (the caller's own
 * username), so that callers without an account (anonymous: 401; robots: 403) and credentials
 * made from a personal token or robot are refused by the access controller.
 *
 * <p>Bearer tokens are accepted only when issued for the API (scope {@code api:v1:*}, as the
 * portal asks); a token the token service issued for /v2 is refused with 401.
 */
final class AdminRoutes {

    static final String USERS = "v1/users";
    static final String CURRENT = "current";
    static final String USER = "{username}";
    static final String PASSWORD = USER + "/password";
    static final String TOKENS = USERS + "/" + CURRENT + "/tokens";
    static final String TOKEN = "{name}";
    static final String PROJECTS = "v1/projects";
    static final String PROJECT = "{project}";
    static final String MEMBERS = PROJECTS + "/" + PROJECT + "/members";
    static final String MEMBER = "{username}";
    static final String ROBOTS = PROJECTS + "/" + PROJECT + "/robots";
    static final String ROBOT = "{robot}";
    static final String PROJECT_REPOSITORIES = PROJECTS + "/" + PROJECT + "/repositories";
    static final String SUMMARY = PROJECTS + "/" + PROJECT + "/summary";
    static final String QUOTA = PROJECTS + "/" + PROJECT + "/quota";
    static final String IMMUTABLE_TAGS = PROJECTS + "/" + PROJECT + "/immutable-tags";
    static final String IMMUTABLE_TAG_RULE = "{id}";
    static final String REPOSITORIES = "v1/repositories";
    static final String REPOSITORY = "{name: .+}";
    static final String ARTIFACTS = REPOSITORY + "/artifacts";
    static final String ARTIFACT = ARTIFACTS + "/{reference}";
    static final String ARTIFACT_TAGS = ARTIFACTS + "/{digest}/tags";
    static final String TAG = REPOSITORY + "/tags/{tag}";
    static final String AUDIT_LOGS = "v1/audit-logs";
    static final String PROJECT_AUDIT_LOGS = PROJECTS + "/" + PROJECT + "/audit-logs";
    static final String SYSTEMINFO = "v1/systeminfo";
    static final String GC = "v1/system/gc";
    static final String GC_CANCEL = "cancel";
    static final String GC_RUNS = "runs";
    static final String GC_RUN = GC_RUNS + "/{id}";
    static final String RETENTION = PROJECTS + "/" + PROJECT + "/retention";
    static final String RETENTION_PREVIEW = "preview";
    static final String RETENTION_RUNS = "runs";
    static final String RETENTION_RUN = RETENTION_RUNS + "/{id}";
    static final String REGISTRIES = "v1/registries";
    /** Not {@code {name}}: the audit filter reads a path parameter of that name as a repository's. */
    static final String REGISTRY = "{registry}";
    static final String REGISTRY_PING = REGISTRY + "/ping";
    static final String WEBHOOKS = PROJECTS + "/" + PROJECT + "/webhooks";
    static final String WEBHOOK = "{webhook}";
    static final String WEBHOOK_SECRET = WEBHOOK + "/secret";
    static final String WEBHOOK_DELIVERIES = WEBHOOK + "/deliveries";
    static final String WEBHOOK_REDELIVER = WEBHOOK_DELIVERIES + "/{delivery}/redeliver";
    static final String REPLICATION = "v1/replication";
    static final String REPLICATION_RULES = "rules";
    static final String REPLICATION_RULE = REPLICATION_RULES + "/{rule}";
    static final String REPLICATION_RULE_EXECUTIONS = REPLICATION_RULE + "/executions";
    static final String REPLICATION_EXECUTIONS = "executions";
    static final String REPLICATION_EXECUTION = REPLICATION_EXECUTIONS + "/{id}";
    static final String REPLICATION_RETRY = REPLICATION_EXECUTION + "/retry";
    static final String REPLICATION_STOP = REPLICATION_EXECUTION + "/stop";
    static final String REPLICATION_TASKS = REPLICATION_EXECUTION + "/tasks";

    private AdminRoutes() {
    }
}
