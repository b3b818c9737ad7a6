package org.berth.infrastructure.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeystoreCheckTest {

    @TempDir
    static Path tmp;

    /** A PKCS12 keystore (password changeit) with the private key "berth" and the secret key "other". */
    static Path keystore;

    /** A JKS keystore (password changeit) whose key "berth" has another password. */
    static Path jksWithOtherKeyPassword;

    @BeforeAll
    static void makeKeystore() throws Exception {
        keystore = tmp.resolve("berth.p12");
        keytool(keystore, "PKCS12", "changeit");
        jksWithOtherKeyPassword = tmp.resolve("berth.jks");
        keytool(jksWithOtherKeyPassword, "JKS", "other-key-password");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        store.setEntry("other", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
                new KeyStore.PasswordProtection("changeit".toCharArray()));
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "changeit".toCharArray());
        }
    }

    /** The JDK has no API for a self-signed certificate: its keytool makes the key pair. */
    private static void keytool(Path file, String type, String keyPassword) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "berth", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-storetype", type, "-keystore", file.toString(), "-storepass", "changeit",
                "-keypass", keyPassword, "-dname", "CN=localhost")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), output);
    }

    private static Map<String, String> settings(String password) {
        return Map.of("javax.net.ssl.keyStore", keystore.toString(),
                "javax.net.ssl.keyStorePassword", password,
                "javax.net.ssl.keyStoreType", "PKCS12");
    }

    @Test
    void noKeystoreSettingMeansPayarasOwnKeystoreAndNothingToCheck() {
        assertEquals(Optional.empty(), TlsKeystoreCheck.problem(Map.of(), Optional.of("berth")));
    }

    @Test
    void theRightPasswordAndAnExistingKeyPass() {
        assertEquals(Optional.empty(), TlsKeystoreCheck.problem(settings("changeit"), Optional.of("berth")));
        assertEquals(Optional.empty(), TlsKeystoreCheck.problem(settings("changeit"), Optional.empty()));
    }

    @Test
    void aWrongPasswordNamesThePasswordSettingAndTheFile() {
        String problem = TlsKeystoreCheck.problem(settings("wrong"), Optional.of("berth")).orElseThrow();
        assertTrue(problem.startsWith("javax.net.ssl.keyStorePassword does not open javax.net.ssl.keyStore="
                + keystore + " (IOException: keystore password was incorrect"), problem);
        assertTrue(!problem.contains("wrong"), "the password itself is never printed: " + problem);
    }

    @Test
    void anUnsetPasswordIsPayarasDefault() {
        var withoutPassword = Map.of("javax.net.ssl.keyStore", keystore.toString());
        assertEquals(Optional.empty(), TlsKeystoreCheck.problem(withoutPassword, Optional.of("berth")));
    }

    @Test
    void anAliasThatIsNotAPrivateKeyIsNamedWithTheEntriesThereAre() {
        String missing = TlsKeystoreCheck.problem(settings("changeit"), Optional.of("nope")).orElseThrow();
        assertTrue(missing.startsWith("--sslcert nope is not a private key in javax.net.ssl.keyStore=" + keystore),
                missing);
        assertTrue(missing.contains("berth") && missing.contains("other"), missing);
        assertTrue(TlsKeystoreCheck.problem(settings("changeit"), Optional.of("other")).isPresent(),
                "a secret key cannot serve TLS");
    }

    @Test
    void aKeyThatDoesNotOpenWithTheKeystorePasswordIsNamed() {
        var jks = Map.of("javax.net.ssl.keyStore", jksWithOtherKeyPassword.toString(),
                "javax.net.ssl.keyStorePassword", "changeit", "javax.net.ssl.keyStoreType", "JKS");
        String problem = TlsKeystoreCheck.problem(jks, Optional.of("berth")).orElseThrow();
        assertTrue(problem.startsWith("the key --sslcert berth in javax.net.ssl.keyStore=" + jksWithOtherKeyPassword
                + " does not open with javax.net.ssl.keyStorePassword (UnrecoverableKeyException"), problem);
    }

    @Test
    void aMissingFileOrAnUnknownTypeIsNamed() {
        var missing = Map.of("javax.net.ssl.keyStore", tmp.resolve("none.p12").toString());
        assertEquals(Optional.of("javax.net.ssl.keyStore=" + tmp.resolve("none.p12") + " is not a readable file"),
                TlsKeystoreCheck.problem(missing, Optional.empty()));
        var badType = Map.of("javax.net.ssl.keyStore", keystore.toString(), "javax.net.ssl.keyStoreType", "NOPE");
        assertTrue(TlsKeystoreCheck.problem(badType, Optional.empty()).orElseThrow()
                .startsWith("javax.net.ssl.keyStoreType=NOPE is not a keystore type"));
    }
}
