package org.berth.application;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.auth.PasswordHasher;
import org.berth.domain.Account;
import org.berth.domain.AccountStore;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.StartLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What exists from the first start: the system administrator {@code admin}, whose password comes
 * from {@code berth.admin.password} ({@code BERTH_ADMIN_PASSWORD}, as Harbor's
 * {@code harbor_admin_password}) or is generated and printed once, and the public project
 * {@code library}. Nodes started together on one empty database create them once: each takes the
 * {@link StartLock} first, and those after the first find what it created (issue 19).
 */
@ApplicationScoped
public class FirstStart {

    private static final Logger LOG = Logger.getLogger(FirstStart.class.getName());

    @Inject
    AccountStore accounts;

    @Inject
    ProjectStore projects;

    @Inject
    PasswordHasher passwords;

    @Inject
    StartLock startLock;

    @Inject
    @ConfigProperty(name = "berth.admin.password")
    Optional<String> adminPassword;

    @Transactional
    void ensureDefaults(@Observes @Priority(StartupOrder.DEFAULTS) @Initialized(ApplicationScoped.class) Object started) {
        startLock.holdUntilCommit();
        if (accounts.find(Account.ADMIN).isEmpty()) {
            String configured = adminPassword.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
            String password = configured != null ? configured : generatePassword();
            if (accounts.create(new Account(Account.ADMIN, passwords.hash(password.toCharArray()), true, false, Instant.now()))) {
                if (configured != null) {
                    LOG.info("Created the system administrator 'admin' with the password from berth.admin.password");
                } else {
                    // The one place a secret is logged, by design: there is no other way to hand it over.
                    LOG.warning("Created the system administrator 'admin' with the generated password: " + password
                            + "  (shown once; set BERTH_ADMIN_PASSWORD before the first start to choose it)");
                }
            }
        }
        if (projects.find(Project.LIBRARY).isEmpty()) {
            projects.create(new Project(Project.LIBRARY, true, Instant.now()));
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
