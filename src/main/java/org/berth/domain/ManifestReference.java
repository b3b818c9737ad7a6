package org.berth.domain;

/** One edge from a manifest to what it needs: its config, a layer, or a child manifest. */
public record ManifestReference(Digest digest, Kind kind) {

    public enum Kind { CONFIG, LAYER, MANIFEST }
}
