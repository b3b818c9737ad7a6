package org.berth.remote;

import java.util.Optional;

/**
 * What the registry answered to a manifest PUT.
 *
 * @param digest  the digest it reported ({@code Docker-Content-Digest}), checked against the bytes
 * @param subject the {@code OCI-Subject} header: present when the registry indexed the manifest's
 *                subject for its referrers API (OCI dist-spec 1.1); empty means a client that wants
 *                the referrer found must maintain the referrers tag ({@link RegistryClient#referrersTag})
 */
public record PushedManifest(String digest, Optional<String> subject) {
}
