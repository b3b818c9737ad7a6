package org.berth.infrastructure.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the keystore that Payara will use for TLS, the way Payara will, before Payara does.
 *
 * <p>Why before: Payara loads {@code javax.net.ssl.keyStore} when it sets up the security container
 * for the WAR, before any of Berth's code is loaded. A wrong password there fails the deployment
 * with six nested HK2 stack traces (about 490 lines), and Payara Micro then keeps running with no
 * application while its HTTPS listener fails every handshake. Checked first, the same mistake is
 * one line naming the setting, and the process exits.
 *
 * <p>Plain JDK only: this runs on the launcher's class path, outside any container.
 */
public final class TlsKeystoreCheck {

    static final String KEY_STORE = "javax.net.ssl.keyStore";
    static final String PASSWORD = "javax.net.ssl.keyStorePassword";
    static final String TYPE = "javax.net.ssl.keyStoreType";
    /** Payara's master password, which it uses when {@value #PASSWORD} is not set. */
    static final String PAYARA_DEFAULT_PASSWORD = "changeit";

    private TlsKeystoreCheck() {
    }

    /**
     * What is wrong with the keystore the properties name, if anything: the file, its password,
     * its type, or (with {@code --sslcert}) the alias of the server's key.
     *
     * @param properties the system properties Payara will see ({@value #KEY_STORE} and friends)
     * @param sslCertAlias the {@code --sslcert} alias, or empty when none was given
     * @return the problem, as the rest of a {@code Berth cannot start: } line; empty when there is
     *         no keystore setting (Payara's own keystore) or it opens and holds the key
     */
    public static Optional<String> problem(Map<String, String> properties, Optional<String> sslCertAlias) {
        String file = properties.get(KEY_STORE);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return Optional.of(KEY_STORE + "=" + file + " is not a readable file");
        }
        String type = properties.getOrDefault(TYPE, KeyStore.getDefaultType());
        String password = properties.getOrDefault(PASSWORD, PAYARA_DEFAULT_PASSWORD);
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            return Optional.of(TYPE + "=" + type + " is not a keystore type this Java knows (" + describe(e) + ")");
        }
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            String which = properties.containsKey(PASSWORD) ? PASSWORD : PASSWORD + " (not set, so Payara's default)";
            return Optional.of(which + " does not open " + KEY_STORE + "=" + file + " (" + describe(e) + ")");
        }
        if (sslCertAlias.isPresent()) {
            String alias = sslCertAlias.get();
            try {
                if (!store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    return Optional.of("--sslcert " + alias + " is not a private key in " + KEY_STORE + "=" + file
                            + " (its entries: " + String.join(", ", Collections.list(store.aliases())) + ")");
                }
                // Payara opens the key with the keystore's password too (a JKS store may differ)
                store.getKey(alias, password.toCharArray());
            } catch (GeneralSecurityException e) {
                return Optional.of("the key --sslcert " + alias + " in " + KEY_STORE + "=" + file
                        + " does not open with " + PASSWORD + " (" + describe(e) + ")");
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
