package org.berth.api.token;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.berth.api.RouteTemplateFilter;
import org.berth.api.error.OciErrorMapper;

/** The token service (Docker registry token spec), mounted at {@code /service}. */
@ApplicationPath("service")
public class TokenApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(TokenResource.class, RouteTemplateFilter.class, OciErrorMapper.class);
    }
}
