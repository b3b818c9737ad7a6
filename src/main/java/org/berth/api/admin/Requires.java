package org.berth.api.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.berth.auth.Privilege;

/**
 * What a route of the administration API asks of its caller, in the spirit of Jakarta's
 * {@code @RolesAllowed}: {@link AdminAccessFilter} authenticates the caller and checks the
 * privilege before anything else of the request is read, its body included. A resource method
 * without one is refused (and {@code AdminPermissionsTest} fails on it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {

    Privilege value();

    /**
     * Where the privilege's target comes from: {@code "{param}"} names a path parameter,
     * {@code "?param"} a query parameter (blank: none), {@code ""} no target.
     */
    String target() default "";
}
