package org.berth.api.oci;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte ranges as the distribution API writes them: {@code Range: bytes=S-E} on blob GET
 * (RFC 9110, one range only) and {@code Content-Range: S-E} on chunk uploads (OCI dist-spec
 * "Pushing a blob in chunks", which omits the {@code bytes} unit; {@code bytes S-E/T} is accepted too).
 *
 * @param start first byte, inclusive
 * @param end   last byte, inclusive
 */
public record ByteRange(long start, long end) {

    private static final Pattern REQUEST = Pattern.compile("\\s*bytes=(\\d*)-(\\d*)\\s*");
    private static final Pattern CONTENT = Pattern.compile("\\s*(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?\\s*");

    public long length() {
        return end - start + 1;
    }

    /**
     * Resolves a {@code Range} request header against a blob of {@code size} bytes.
     *
     * @return empty when the header is absent or not a single byte range (serve the whole blob)
     * @throws IllegalArgumentException when the range cannot be satisfied (416)
     */
    public static Optional<ByteRange> ofRequest(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = REQUEST.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        long start;
        long end;
        try {
            if (m.group(1).isEmpty()) { // suffix range: the last N bytes
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0) {
                    throw new IllegalArgumentException("empty suffix range");
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("range out of bounds");
        }
        if (start >= size || start > end) {
            throw new IllegalArgumentException("range not satisfiable");
        }
        return Optional.of(new ByteRange(start, end));
    }

    /**
     * Parses an upload's {@code Content-Range}.
     *
     * @throws IllegalArgumentException when present but malformed or inverted
     */
    public static Optional<ByteRange> ofContentRange(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Matcher m = CONTENT.matcher(header);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed Content-Range: " + header);
        }
        try {
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            if (end < start) {
                throw new IllegalArgumentException("inverted Content-Range: " + header);
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Content-Range out of bounds: " + header);
        }
    }

    static OptionalLong startOf(Optional<ByteRange> range) {
        return range.map(r -> OptionalLong.of(r.start())).orElse(OptionalLong.empty());
    }

    /** The {@code Range} header of an upload holding {@code size} bytes: {@code 0-(size-1)}. */
    static String uploadedRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }
}
