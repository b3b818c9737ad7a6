package org.berth.api.admin;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.berth.api.error.OciErrorMapper;

/** The administration API, JSON under {@code /api/v1} (routes in {@link AdminRoutes}). */
@ApplicationPath("api")
public class AdminApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                UserResource.class, PersonalTokenResource.class, ProjectResource.class, MemberResource.class,
                RobotResource.class, ProjectRepositoryResource.class, ProjectSummaryResource.class, QuotaResource.class,
                RepositoryResource.class, AuditResource.class, ProjectAuditResource.class, SystemResource.class,
                AdminAuditFilter.class, OciErrorMapper.class);
    }
}
