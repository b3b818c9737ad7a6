package org.berth.remote;

import java.util.List;
import java.util.Objects;

import org.berth.domain.Descriptor;

/**
 * The manifests that name a manifest as their {@code subject} (signatures, SBOMs, attestations).
 *
 * @param manifests    their descriptors, filtered by artifact type when one was asked for
 * @param fromTagSchema true when read from the referrers tag ({@code sha256-<hex>}) because the
 *                      registry has no referrers API (OCI dist-spec 1.1 "Referrers Tag Schema")
 */
public record Referrers(List<Descriptor> manifests, boolean fromTagSchema) {

    /** The most referrers read for one subject, over every page. */
    public static final int MAX_REFERRERS = 10_000;

    public Referrers {
        manifests = List.copyOf(Objects.requireNonNull(manifests, "manifests"));
    }
}
