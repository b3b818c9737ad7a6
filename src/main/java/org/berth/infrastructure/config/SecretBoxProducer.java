package org.berth.infrastructure.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.berth.application.SecretBox;
import org.berth.infrastructure.secrets.AesGcmSecretBox;
import org.berth.infrastructure.secrets.SecretKeys;

/**
 * Berth's {@link SecretBox}, under the key of {@code BERTH_SECRET_KEY} or else of
 * {@code <data root>/keys/secret.key} (made on first use). Made when first used: a Berth that
 * keeps no secret never derives nor makes a key. The setting's form is checked at start
 * ({@link StartupCheck#secretKeySetting}).
 */
@ApplicationScoped
public class SecretBoxProducer {

    @Inject
    BerthConfig config;

    @Produces
    @ApplicationScoped
    SecretBox secretBox() {
        Optional<String> setting = config.secretKey();
        byte[] key;
        String source;
        if (setting.isPresent()) {
            key = SecretKeys.fromSetting(setting.get());
            source = "BERTH_SECRET_KEY";
        } else {
            try {
                key = SecretKeys.fromFile(config.secretKeyFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make or read the secret key " + config.secretKeyFile()
                        + " (set BERTH_SECRET_KEY instead): " + e.getMessage(), e);
            }
            source = config.secretKeyFile() + ", as BERTH_SECRET_KEY is not set";
        }
        try {
            return new AesGcmSecretBox(key, source);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
