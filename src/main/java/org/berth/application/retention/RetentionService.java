package org.berth.application.retention;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.RunTrigger;
import org.berth.application.AuditService;
import org.berth.application.Listing;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionPolicyStore;
import org.berth.domain.retention.RetentionRule;
import org.berth.domain.retention.RetentionRun;
import org.berth.domain.retention.RetentionRunStore;

/**
 * Tag retention as the administration API and the portal drive it: a project's policy, its
 * preview, runs on demand and their history. Who may is decided before these are called
 * (maintainers read, project admins change and run).
 *
 * <p>A rule set is enabled only after its preview was shown: enabling (or changing the rules of an
 * enabled policy) must quote the {@code fingerprint} of a preview of exactly those rules, and the
 * answer carries the preview again, as it stands at that moment.
 */
@ApplicationScoped
public class RetentionService {

    @Inject
    RetentionPolicyStore policies;

    @Inject
    RetentionRunStore runs;

    @Inject
    RetentionPlanner planner;

    @Inject
    RetentionWorker worker;

    @Inject
    ProjectStore projects;

    @Inject
    AuditService audit;

    /** A policy with when its schedule fires next (empty without one, or while disabled). */
    public record Policy(RetentionPolicy policy, Optional<ZonedDateTime> nextRun) {
    }

    /** A saved policy, with the preview of its rules when it is enabled. */
    public record Saved(Policy policy, Optional<RetentionPlan> preview) {
    }

    /** What a caller asks to save. */
    public record Change(List<RetentionRule> rules, String schedule, boolean enabled, boolean runGc, String previewFingerprint) {
    }

    public Policy get(String project) {
        existingProject(project);
        RetentionPolicy policy = policies.find(project).orElse(RetentionPolicy.none(project));
        return new Policy(policy, policy.enabled() ? worker.next(project) : Optional.empty());
    }

    /**
     * @throws RegistryException.InvalidRequest for rules or a schedule that cannot be
     * @throws RegistryException.Conflict       when enabling rules whose preview was not quoted
     */
    public Saved save(String project, Change change) {
        existingProject(project);
        String actor = audit.currentActor().map(AuditService.Actor::username).orElse("system");
        RetentionPolicy policy;
        try {
            policy = new RetentionPolicy(project, change.rules(), change.schedule(), change.enabled(), change.runGc(),
                    Instant.now(), actor);
        } catch (IllegalArgumentException e) {
            throw new RegistryException.InvalidRequest(e.getMessage());
        }
        RetentionPolicy before = policies.find(project).orElse(RetentionPolicy.none(project));
        String fingerprint = RetentionPolicy.fingerprint(policy.rules());
        boolean newlyEnabled = policy.enabled()
                && (!before.enabled() || !RetentionPolicy.fingerprint(before.rules()).equals(fingerprint));
        if (newlyEnabled && !fingerprint.equals(change.previewFingerprint())) {
            throw new RegistryException.Conflict("these rules were not previewed: POST them to /api/v1/projects/" + project
                    + "/retention/preview, look at what they would delete, and send its rules_fingerprint (" + fingerprint
                    + ") as preview_fingerprint to enable them", project);
        }
        policies.save(policy);
        worker.reload();
        Optional<RetentionPlan> preview = policy.enabled() ? Optional.of(planner.plan(project, policy.rules(), Instant.now()))
                : Optional.empty();
        return new Saved(new Policy(policy, Optional.empty()), preview);
    }

    /** What the rules (the saved ones when {@code draft} is empty) would delete now. */
    public RetentionPlan preview(String project, Optional<List<RetentionRule>> draft) {
        existingProject(project);
        List<RetentionRule> rules = draft.orElseGet(() -> policies.find(project).map(RetentionPolicy::rules).orElse(List.of()));
        return planner.plan(project, rules, Instant.now());
    }

    /**
     * Begins a run of the project's enabled policy for the current caller.
     *
     * @throws RegistryException.Conflict when the policy is not enabled, or a run of the project runs
     */
    public RetentionRun start(String project) {
        existingProject(project);
        RetentionPolicy policy = policies.find(project).filter(RetentionPolicy::enabled)
                .orElseThrow(() -> new RegistryException.Conflict("retention is not enabled for project '" + project
                        + "': preview its rules and enable them first", project));
        AuditService.Actor actor = audit.currentActor()
                .orElseThrow(() -> new IllegalStateException("a retention run is started by a signed-in caller"));
        Instant now = Instant.now();
        RetentionRun begun = runs.begin(project, RunTrigger.MANUAL, actor.username(), actor.kind().jsonName(),
                RetentionPolicy.fingerprint(policy.rules()), now, now.minus(RetentionWorker.STALE));
        worker.submit(begun, policy, actor.sourceIp());
        return begun;
    }

    public Listing<RetentionRun> history(String project, int offset, int limit) {
        existingProject(project);
        return new Listing<>(runs.history(project, offset, limit), runs.count(project));
    }

    /** @throws RegistryException.NotFound when the project has no such run */
    public RetentionRun run(String project, long id) {
        return runs.find(project, id).orElseThrow(() -> new RegistryException.NotFound(
                "retention run " + id + " of project '" + project + "' not found", String.valueOf(id)));
    }

    private void existingProject(String project) {
        if (projects.find(project).isEmpty()) {
            throw new RegistryException.NotFound("project '" + project + "' not found", project);
        }
    }
}
