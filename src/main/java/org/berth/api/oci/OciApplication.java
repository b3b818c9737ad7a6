package org.berth.api.oci;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.berth.api.RouteTemplateFilter;
import org.berth.api.error.OciErrorMapper;

/** The OCI distribution API, mounted at {@code /v2}. */
@ApplicationPath("v2")
public class OciApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                BaseResource.class, CatalogResource.class, TagResource.class, ManifestResource.class,
                BlobResource.class, UploadResource.class, ReferrersResource.class,
                ApiVersionFilter.class, StaleWarningFilter.class, RouteTemplateFilter.class, OciAccessFilter.class, OciAuditFilter.class, OciErrorMapper.class);
    }
}
