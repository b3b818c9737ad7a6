package org.berth.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.junit.jupiter.api.Test;

/**
 * Walks every route of the administration API ({@link AdminApplication}'s resources, the paths of
 * {@link AdminRoutes}) and fails on a resource method that does not declare what it requires, or
 * whose {@link Requires#target()} names a parameter the method does not have: a new endpoint
 * cannot forget its check.
 */
class AdminPermissionsTest {

    private static final List<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS =
            List.of(GET.class, POST.class, PUT.class, PATCH.class, DELETE.class, HEAD.class);

    private static List<Method> routes() {
        List<Method> routes = new ArrayList<>();
        for (Class<?> type : new AdminApplication().getClasses()) {
            if (!type.isAnnotationPresent(Path.class)) {
                continue; // filters and mappers
            }
            addRoutes(type, routes);
        }
        return routes;
    }

    /** The resource methods of a class, and those of its sub-resources (a method with a path and no HTTP method). */
    private static void addRoutes(Class<?> type, List<Method> routes) {
        for (Method method : type.getDeclaredMethods()) {
            if (HTTP_METHODS.stream().anyMatch(method::isAnnotationPresent)) {
                routes.add(method);
            } else if (method.isAnnotationPresent(Path.class)) {
                addRoutes(method.getReturnType(), routes);
            }
        }
    }

    @Test
    void everyAdministrationRouteDeclaresTheRightItRequires() {
        List<String> undeclared = routes().stream().filter(m -> !m.isAnnotationPresent(Requires.class))
                .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName()).toList();
        assertEquals(List.of(), undeclared);
        assertTrue(routes().size() >= 40, "the walk found the routes: " + routes().size());
        assertTrue(routes().stream().anyMatch(m -> m.getDeclaringClass() == GcResource.class), "the walk follows sub-resources");
    }

    @Test
    void everyDeclaredTargetNamesAParameterOfItsMethod() {
        List<String> wrong = new ArrayList<>();
        for (Method method : routes()) {
            String target = method.getAnnotation(Requires.class).target();
            if (target.isEmpty()) {
                continue;
            }
            boolean found = false;
            for (Parameter p : method.getParameters()) {
                PathParam path = p.getAnnotation(PathParam.class);
                QueryParam query = p.getAnnotation(QueryParam.class);
                found |= path != null && target.equals("{" + path.value() + "}")
                        || query != null && target.equals("?" + query.value());
            }
            if (!found) {
                wrong.add(method.getDeclaringClass().getSimpleName() + "." + method.getName() + ": " + target);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
