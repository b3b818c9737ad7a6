package org.berth.api.admin;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands an {@link Audited#resource()} template; an unknown value leaves "?" in its place. */
final class AuditTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_.]+)}");

    private AuditTemplate() {
    }

    /**
     * @param values the value of a path parameter or {@code body.FIELD}; null when unknown
     * @return the resource name, or null when no placeholder had a value
     */
    static String expand(String template, UnaryOperator<String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            String value = values.apply(m.group(1));
            any |= value != null;
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "?" : value));
        }
        m.appendTail(out);
        return any || template.indexOf('{') < 0 ? out.toString() : null;
    }
}
