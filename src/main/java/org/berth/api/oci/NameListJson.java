package org.berth.api.oci;

import java.util.List;

/**
 * The bodies of {@code tags/list} and {@code _catalog}: a few fields and a list of names, written
 * straight into one buffer (a JSON-P object and array builder cost more than the query on a list
 * of 1000 tags). Strings are escaped as RFC 8259 requires, although valid names never need it.
 */
final class NameListJson {

    private NameListJson() {
    }

    /** {@code {"name":NAME,"tags":[...]}} */
    static String tags(String repository, List<String> tags) {
        StringBuilder json = new StringBuilder(32 + repository.length() + tags.size() * 24).append("{\"name\":");
        quote(json, repository).append(",\"tags\":");
        return array(json, tags).append('}').toString();
    }

    /** {@code {"repositories":[...]}} */
    static String repositories(List<String> names) {
        StringBuilder json = new StringBuilder(20 + names.size() * 32).append("{\"repositories\":");
        return array(json, names).append('}').toString();
    }

    private static StringBuilder array(StringBuilder json, List<String> values) {
        json.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            quote(json, values.get(i));
        }
        return json.append(']');
    }

    static StringBuilder quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }
}
