package org.berth.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110 section 11.6.1), e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"}.
 *
 * @param scheme the scheme in lower case ({@code bearer}, {@code basic})
 * @param params the auth-params, names in lower case
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    boolean isBearer() {
        return "bearer".equals(scheme);
    }

    boolean isBasic() {
        return "basic".equals(scheme);
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
    }

    /** Every challenge in the given header values, in order; what cannot be parsed is skipped. */
    static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> result = new ArrayList<>();
        for (String value : headerValues) {
            new Parser(value).challenges(result);
        }
        return result;
    }

    /** A small hand-written tokenizer: challenges and params are both comma separated. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        void challenges(List<AuthChallenge> into) {
            String scheme = null;
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                skip(" \t,");
                if (i >= s.length()) {
                    break;
                }
                String token = token();
                if (token.isEmpty()) {
                    i++; // a stray '=' or '"': skip it
                    continue;
                }
                skip(" \t");
                if (i < s.length() && s.charAt(i) == '=' && scheme != null) {
                    i++;
                    skip(" \t");
                    params.put(token.toLowerCase(Locale.ROOT), i < s.length() && s.charAt(i) == '"' ? quoted() : token());
                } else {
                    if (scheme != null) {
                        into.add(new AuthChallenge(scheme, Map.copyOf(params)));
                        params.clear();
                    }
                    scheme = token.toLowerCase(Locale.ROOT);
                }
            }
            if (scheme != null) {
                into.add(new AuthChallenge(scheme, Map.copyOf(params)));
            }
        }

        private String token() {
            int start = i;
            while (i < s.length() && "\t ,=\"".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        private String quoted() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                b.append(c);
            }
            i++; // closing quote (or past the end)
            return b.toString();
        }

        private void skip(String chars) {
            while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }
    }
}
