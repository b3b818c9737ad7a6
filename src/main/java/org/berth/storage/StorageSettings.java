package org.berth.storage;

/**
 * What the storage layer is told by the configuration; produced in {@code infrastructure/config},
 * so that storage reads no configuration itself.
 *
 * @param paths                     the data root's layout
 * @param maxUploadSessionsPerOwner the most upload sessions one owner may hold open; below 1, no limit
 */
public record StorageSettings(StoragePaths paths, int maxUploadSessionsPerOwner) {
}
