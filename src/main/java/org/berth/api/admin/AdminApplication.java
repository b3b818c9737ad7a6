package org.berth.api.admin;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

import org.berth.api.ExternalBaseUriFilter;
import org.berth.api.RouteTemplateFilter;
import org.berth.api.error.OciErrorMapper;

/**
 * The administration API, JSON under {@code /api/v1} (routes in {@link AdminRoutes}). Payara
 * serves its MicroProfile OpenAPI document at {@code /openapi}; /v2 and /service are left out of
 * it ({@code mp.openapi.scan.exclude.packages}).
 */
@ApplicationPath("api")
@OpenAPIDefinition(
        info = @Info(title = "Berth administration API",
                version = "v1",
                description = "Projects, members, robots, users, personal tokens, the audit log and system information"
                        + " of the Berth container registry. Lists page with page and page_size (1 to 100; more is"
                        + " refused with 400 INVALID_REQUEST) and tell the total in X-Total-Count; errors are {\"errors\":[{\"code\",\"message\",\"detail\"}]}.",
                license = @License(name = "Apache-2.0")),
        security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "bearer")})
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic"),
        @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT from POST /service/token",
                description = "OAuth2 password or refresh grant at /service/token with scope api:v1:* (a token without it is for /v2 only)")})
public class AdminApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                UserResource.class, PersonalTokenResource.class, ProjectResource.class, MemberResource.class,
                RobotResource.class, ImmutableTagResource.class, ProjectRepositoryResource.class, ProjectSummaryResource.class, QuotaResource.class,
                RepositoryResource.class, AuditResource.class, ProjectAuditResource.class, SystemResource.class, GcResource.class,
                RetentionResource.class, RegistryResource.class, WebhookResource.class, ReplicationResource.class,
                AdminAccessFilter.class, AdminAuditFilter.class, RouteTemplateFilter.class, OciErrorMapper.class,
                ExternalBaseUriFilter.class);
    }
}
