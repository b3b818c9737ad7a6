package org.berth.api.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    // ------------------------------------------------------------------ Range on blob GET (RFC 9110 14.1.2)

    @ParameterizedTest(name = "{0} of {1} bytes -> {2}-{3}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-9      | 100 | 0  | 9",
            "bytes=10-19    | 100 | 10 | 19",
            "bytes=99-99    | 100 | 99 | 99",
            "bytes=0-0      | 1   | 0  | 0",
            "bytes=50-      | 100 | 50 | 99",
            "bytes=0-       | 100 | 0  | 99",
            "bytes=-10      | 100 | 90 | 99",
            "bytes=-100     | 100 | 0  | 99",
            "bytes=-1000    | 100 | 0  | 99",
            "bytes=90-1000  | 100 | 90 | 99",
            "' bytes=1-2 '  | 100 | 1  | 2"})
    void resolvesRequestRanges(String header, long size, long start, long end) {
        ByteRange range = ByteRange.ofRequest(header, size).orElseThrow();
        assertEquals(new ByteRange(start, end), range);
        assertEquals(end - start + 1, range.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=-", "items=0-1", "bytes=0-1,5-6", "bytes 0-1", "0-1", "bytes=a-b", ""})
    void somethingOtherThanOneByteRangeMeansTheWholeBlob(String header) {
        assertEquals(Optional.empty(), ByteRange.ofRequest(header, 100));
    }

    @Test
    void absentHeaderMeansTheWholeBlob() {
        assertEquals(Optional.empty(), ByteRange.ofRequest(null, 100));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bytes=100-   | 100",
            "bytes=100-200| 100",
            "bytes=5-4    | 100",
            "bytes=-0     | 100",
            "bytes=0-     | 0",
            "bytes=-5     | 0",
            "bytes=99999999999999999999- | 100"})
    void unsatisfiableRangeIsRefused(String header, long size) {
        assertThrows(IllegalArgumentException.class, () -> ByteRange.ofRequest(header, size));
    }

    // ------------------------------------------------------------------ Content-Range on PATCH (OCI dist-spec)

    @ParameterizedTest(name = "{0} -> {1}-{2}")
    @CsvSource(delimiter = '|', value = {
            "0-21          | 0  | 21",
            "bytes 0-21/42 | 0  | 21",
            "bytes=0-21    | 0  | 21",
            "bytes 22-41/* | 22 | 41",
            "22-41/42      | 22 | 41",
            "5-5           | 5  | 5",
            "' 0-21 '      | 0  | 21"})
    void parsesContentRange(String header, long start, long end) {
        assertEquals(Optional.of(new ByteRange(start, end)), ByteRange.ofContentRange(header));
    }

    @ParameterizedTest
    @ValueSource(strings = {"21-0", "1-0", "abc", "0-", "-21", "0-21/", "bytes", "bytes 0-21/x", "0 - 21",
            "0-21,30-40", "99999999999999999999-99999999999999999999", "-1-5"})
    void malformedOrInvertedContentRangeIsRefused(String header) {
        assertThrows(IllegalArgumentException.class, () -> ByteRange.ofContentRange(header));
    }

    @Test
    void absentContentRangeIsEmpty() {
        assertEquals(Optional.empty(), ByteRange.ofContentRange(null));
        assertEquals(Optional.empty(), ByteRange.ofContentRange("  "));
    }

    @Test
    void startOfAndUploadedRange() {
        assertEquals(OptionalLong.of(22), ByteRange.startOf(Optional.of(new ByteRange(22, 41))));
        assertEquals(OptionalLong.empty(), ByteRange.startOf(Optional.empty()));
        assertEquals("0-41", ByteRange.uploadedRange(42));
        assertEquals("0-0", ByteRange.uploadedRange(1));
        assertEquals("0-0", ByteRange.uploadedRange(0)); // as CNCF Distribution sends for an empty upload
    }
}
