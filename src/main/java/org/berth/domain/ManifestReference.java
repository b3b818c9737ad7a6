package org.berth.domain;

/**
 * One edge from a manifest to what it needs: its config, a layer, or a child manifest.
 *
 * @param size the size its descriptor declares, in bytes
 */
public record ManifestReference(Digest digest, Kind kind, long size) {

    public enum Kind { CONFIG, LAYER, MANIFEST }
}
