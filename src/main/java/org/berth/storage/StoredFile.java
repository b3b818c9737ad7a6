package org.berth.storage;

import java.time.Instant;

import org.berth.domain.Digest;

/**
 * A file the garbage collector's orphan sweep looks at: under {@code blobs/} or {@code tmp/}.
 *
 * @param name     its path relative to the data root, e.g. {@code blobs/sha256/ab/ab12...}
 * @param digest   the digest its name says, or null for a scratch file or a name that is no digest
 * @param modified when it was last written
 */
public record StoredFile(String name, Digest digest, long size, Instant modified) {
}
