package org.berth.api.oci;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import org.berth.domain.Page;
import org.berth.domain.RegistryException;

/**
 * The {@code n}/{@code last} query parameters and the RFC 5988 {@code Link: <...>; rel="next"}
 * header of paged listings (OCI dist-spec "Listing Tags", end-8b).
 */
final class Paging {

    private Paging() {
    }

    /**
     * The page to fetch. One more entry than asked is fetched, so that a next link is sent only
     * when there really is a next page.
     */
    static Page request(String n, String last) {
        int limit = Page.MAX_LIMIT;
        if (n != null && !n.isEmpty()) {
            try {
                limit = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                throw new RegistryException.PaginationInvalid(n);
            }
            if (limit < 0) {
                throw new RegistryException.PaginationInvalid(n);
            }
        }
        return new Page(last == null || last.isEmpty() ? null : last, Math.min(limit, Page.MAX_LIMIT - 1) + 1);
    }

    /** Trims the extra entry and adds the Link header when there are more. */
    static <T> List<String> apply(Page page, List<T> fetched, Function<T, String> key, String path,
                                  Response.ResponseBuilder response) {
        int wanted = page.limit() - 1;
        List<String> keys = fetched.stream().map(key).toList();
        if (keys.size() <= wanted) {
            return keys;
        }
        List<String> shown = keys.subList(0, wanted);
        if (!shown.isEmpty()) {
            String last = shown.get(shown.size() - 1);
            String next = path + "?n=" + wanted + "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8);
            response.header(OciHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return shown;
    }
}
