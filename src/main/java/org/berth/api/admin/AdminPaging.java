package org.berth.api.admin;

import java.net.URI;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.Listing;
import org.berth.domain.RegistryException;

/**
 * The {@code page} (from 1) and {@code page_size} query parameters of administration listings, as
 * Harbor's API has them; the response tells the total in {@code X-Total-Count} and links the next
 * page with {@code Link: <...>; rel="next"}.
 */
record AdminPaging(int page, int pageSize) {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final String TOTAL_COUNT = "X-Total-Count";

    static AdminPaging of(String page, String pageSize) {
        return new AdminPaging(number(page, 1, Integer.MAX_VALUE / MAX_SIZE, "'page' must be a whole number from 1"),
                number(pageSize, DEFAULT_SIZE, MAX_SIZE, "'page_size' must be a whole number from 1 to " + MAX_SIZE));
    }

    private static int number(String text, int absent, int max, String rule) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RegistryException.InvalidRequest(rule);
    }

    int offset() {
        return (page - 1) * pageSize;
    }

    /** A 200 response with the total and, when there are more, the link to the next page. */
    Response.ResponseBuilder respond(Listing<?> listing, UriInfo uri, String body) {
        Response.ResponseBuilder response = Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(TOTAL_COUNT, listing.total());
        if ((long) offset() + listing.items().size() < listing.total()) {
            URI next = uri.getRequestUriBuilder()
                    .replaceQueryParam("page", page + 1)
                    .replaceQueryParam("page_size", pageSize)
                    .build();
            // Relative, like the /v2 listings: the host seen here may not be the one the client used.
            response.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
        }
        return response;
    }
}
