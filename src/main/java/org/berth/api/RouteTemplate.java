package org.berth.api;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.Path;

/**
 * The route a request matched, as a template ({@code /v2/{name}/manifests/{reference}}): what
 * metrics label requests with, so that no repository or project name (private ones included)
 * reaches a label.
 */
public final class RouteTemplate {

    /** The request attribute (JAX-RS request property) holding the template. */
    public static final String ATTRIBUTE = RouteTemplate.class.getName();
    /** Requests that matched no JAX-RS resource (static files, 404s). */
    public static final String OTHER = "other";

    private static final Map<Method, String> CACHE = new ConcurrentHashMap<>();

    private RouteTemplate() {
    }

    /** @param applicationPath e.g. {@code /v2} */
    public static String of(String applicationPath, Class<?> resource, Method method) {
        return CACHE.computeIfAbsent(method, m -> join(applicationPath,
                resource.isAnnotationPresent(Path.class) ? resource.getAnnotation(Path.class).value() : "",
                m.isAnnotationPresent(Path.class) ? m.getAnnotation(Path.class).value() : ""));
    }

    static String join(String... parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            for (String segment : withoutRegexes(part).split("/")) {
                if (!segment.isEmpty()) {
                    out.append('/').append(segment);
                }
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** {@code {name: .+}/x/{id}} becomes {@code {name}/x/{id}}; nested braces in a regex are skipped. */
    static String withoutRegexes(String path) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int depth = 1;
            int j = i + 1;
            StringBuilder name = new StringBuilder();
            boolean inRegex = false;
            while (j < path.length() && depth > 0) {
                char d = path.charAt(j);
                if (d == '{') {
                    depth++;
                } else if (d == '}') {
                    depth--;
                } else if (d == ':' && depth == 1) {
                    inRegex = true;
                } else if (!inRegex && depth == 1) {
                    name.append(d);
                }
                j++;
            }
            out.append('{').append(name.toString().trim()).append('}');
            i = j;
        }
        return out.toString();
    }
}
