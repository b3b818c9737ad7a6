package org.berth.application;

import org.berth.domain.RegistryException;

/**
 * Seals secrets Berth must be able to read back (the passwords of registry endpoints), so that
 * the database holds none in clear. A sealed value is bound to its {@code context} (what it
 * belongs to, e.g. {@code registry_endpoint/hub}): opened under another context it fails, so a
 * sealed value copied from one row to another is no use.
 */
public interface SecretBox {

    /** The sealed form of {@code secret}, a printable string. */
    String seal(String secret, String context);

    /**
     * The secret that {@link #seal} sealed.
     *
     * @throws RegistryException.Unavailable when Berth's key cannot open it (the key changed, or the
     *                                       value is damaged); the message names BERTH_SECRET_KEY
     */
    String open(String sealed, String context);
}
