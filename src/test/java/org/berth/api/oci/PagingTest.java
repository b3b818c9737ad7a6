package org.berth.api.oci;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.domain.Page;
import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {

    private static final String TAGS = "/v2/team/app/tags/list";
    private static final Pattern NEXT = Pattern.compile("<([^?>]+)\\?n=([^&>]*)&last=([^>]*)>; rel=\"next\"");

    /** What a store returns for {@code page}: the entries after {@code last}, at most {@code page.limit()}. */
    private static List<String> fetch(List<String> all, Page page) {
        return all.stream().filter(e -> page.last() == null || e.compareTo(page.last()) > 0).limit(page.limit()).toList();
    }

    private record Result(List<String> shown, List<Object> links) {
    }

    private static Result list(List<String> all, String n, String last) {
        Page page = Paging.request(n, last);
        RecordingResponseBuilder response = new RecordingResponseBuilder();
        List<String> shown = Paging.apply(page, fetch(all, page), Function.identity(), TAGS, response);
        return new Result(shown, response.header(OciHeaders.LINK));
    }

    // ------------------------------------------------------------------ request

    @Test
    void noParametersAsksForAFullPagePlusOne() {
        Page page = Paging.request(null, null);
        assertNull(page.last());
        assertEquals(Page.MAX_LIMIT, page.limit());
        assertEquals(page, Paging.request("", ""));
    }

    @Test
    void fetchesOneMoreThanAsked() {
        assertEquals(new Page("b", 3), Paging.request("2", "b"));
        assertEquals(new Page(null, 1), Paging.request("0", null));
    }

    @Test
    void hugeNIsCapped() {
        assertEquals(Page.MAX_LIMIT, Paging.request("100000", null).limit());
        assertEquals(Page.MAX_LIMIT, Paging.request(String.valueOf(Integer.MAX_VALUE), null).limit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-100", "abc", "1.5", "2x", " 2", "0x10", "99999999999999999999"})
    void nThatIsNotANonNegativeIntegerIsPaginationInvalid(String n) {
        var e = assertThrows(RegistryException.PaginationInvalid.class, () -> Paging.request(n, null));
        assertEquals(n, e.detail());
    }

    // ------------------------------------------------------------------ apply

    @Test
    void linkOnlyWhenMoreExist() {
        List<String> all = List.of("a", "b", "c");
        Result first = list(all, "2", null);
        assertEquals(List.of("a", "b"), first.shown());
        assertEquals(List.of("<" + TAGS + "?n=2&last=b>; rel=\"next\""), first.links());

        Result second = list(all, "2", "b");
        assertEquals(List.of("c"), second.shown());
        assertEquals(List.of(), second.links());

        Result exact = list(List.of("a", "b"), "2", null);
        assertEquals(List.of("a", "b"), exact.shown());
        assertEquals(List.of(), exact.links(), "no next link when the page ends exactly at the last entry");
    }

    @Test
    void nZeroIsAnEmptyListWithoutLink() {
        Result r = list(List.of("a", "b"), "0", null);
        assertEquals(List.of(), r.shown());
        assertEquals(List.of(), r.links());
    }

    @Test
    void emptyListing() {
        Result r = list(List.of(), "5", null);
        assertEquals(List.of(), r.shown());
        assertEquals(List.of(), r.links());
    }

    @Test
    void withoutNEverythingFitsOnOnePage() {
        Result r = list(List.of("a", "b", "c"), null, null);
        assertEquals(List.of("a", "b", "c"), r.shown());
        assertEquals(List.of(), r.links());
    }

    @Test
    void lastIsUrlEncodedInTheLink() {
        Result r = list(List.of("team/a", "team/b"), "1", null);
        assertEquals(List.of("</v2/team/app/tags/list?n=1&last=team%2Fa>; rel=\"next\""), r.links());
    }

    @Test
    void followingTheLinksVisitsEveryEntryOnce() {
        List<String> all = List.of("1.0", "1.1", "2.0", "latest", "v1", "v2", "v3");
        List<String> seen = new java.util.ArrayList<>();
        String n = "3";
        String last = null;
        for (int pages = 0; pages < 10; pages++) {
            Result r = list(all, n, last);
            seen.addAll(r.shown());
            if (r.links().isEmpty()) {
                break;
            }
            Matcher m = NEXT.matcher((String) r.links().get(0));
            assertTrue(m.matches(), r.links().get(0).toString());
            assertEquals(TAGS, m.group(1));
            n = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            last = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        }
        assertEquals(all, seen);
    }

    /**
     * Whatever form of {@code n} is accepted, the next link must repeat it in a form that is
     * accepted again once the server decodes the query ({@code +} decodes to a space) and that is
     * plain ASCII, as header values must be.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+2", "02", "\u0662"}) // "\u0662" is ARABIC-INDIC DIGIT TWO
    void theNextLinkCanBeFollowed(String n) {
        Page page;
        try {
            page = Paging.request(n, null);
        } catch (RegistryException.PaginationInvalid refused) {
            return; // refusing the odd form up front is fine too
        }
        RecordingResponseBuilder response = new RecordingResponseBuilder();
        Paging.apply(page, fetch(List.of("a", "b", "c", "d"), page), Function.identity(), TAGS, response);
        String link = (String) response.header(OciHeaders.LINK).get(0);
        assertTrue(link.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "Link is ASCII: " + link);
        Matcher m = NEXT.matcher(link);
        assertTrue(m.matches(), link);
        String echoed = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        Page next = assertDoesNotThrow(() -> Paging.request(echoed, "b"), "n as the next request sees it: '" + echoed + "'");
        assertEquals(page.limit(), next.limit());
    }
}
