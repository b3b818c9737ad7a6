package org.berth.storage.driver;

import java.time.Instant;

/**
 * A file as a driver reports it.
 *
 * @param path     relative to the driver's root, '/'-separated
 * @param size     bytes (of a file being written: as many as its writers have closed on)
 * @param modified when it was last written
 */
public record FileInfo(String path, long size, Instant modified) {
}
