package org.berth.infrastructure.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Berth's 32-byte secret key, from {@code berth.secret.key} ({@code BERTH_SECRET_KEY}) or, when
 * that is not set, from a key file made once under the data root.
 *
 * <p>The setting is either the base64 of 32 random bytes ({@code openssl rand -base64 32}), used
 * as it is, or a passphrase of at least {@link #MIN_PASSPHRASE} characters, stretched with
 * PBKDF2-HMAC-SHA256 ({@link #ITERATIONS} iterations, OWASP's 2023 figure). PBKDF2 and not one
 * SHA-256 (or HKDF, which is for keys that are already random): a passphrase has little entropy,
 * and whoever holds a copy of the database can try guesses offline against a sealed password;
 * each guess then costs 600,000 HMACs instead of one. The salt is fixed (every node must derive
 * the same key from the setting alone, with nowhere to keep a salt but the setting), which keeps
 * precomputed tables of other applications out but not a table made for Berth: a real random key
 * is the better setting, and the README says so.
 */
public final class SecretKeys {

    private static final Logger LOG = Logger.getLogger(SecretKeys.class.getName());

    static final int KEY_BYTES = AesGcmSecretBox.KEY_BYTES;
    static final int MIN_PASSPHRASE = 16;
    static final int ITERATIONS = 600_000;
    private static final byte[] SALT = "org.berth/secret-key/v1".getBytes(StandardCharsets.US_ASCII);

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretKeys() {
    }

    /**
     * The key a value of {@code berth.secret.key} gives.
     *
     * @throws IllegalArgumentException when it is neither the base64 of 32 bytes nor a passphrase
     *                                  of 16 characters or more (the message never quotes it)
     */
    public static byte[] fromSetting(String value) {
        String text = checkSetting(value);
        Optional<byte[]> raw = rawKey(text);
        if (raw.isPresent()) {
            return raw.get();
        }
        char[] chars = text.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, SALT, ITERATIONS, KEY_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Checks the form of a value of {@code berth.secret.key} without deriving a key (cheap, for the
     * start).
     *
     * @return the value trimmed
     * @throws IllegalArgumentException when it is neither the base64 of 32 bytes nor a passphrase
     *                                  of 16 characters or more (the message never quotes it)
     */
    public static String checkSetting(String value) {
        String text = value.trim();
        if (rawKey(text).isEmpty() && text.length() < MIN_PASSPHRASE) {
            throw new IllegalArgumentException("it must be the base64 of 32 random bytes (openssl rand -base64 32)"
                    + " or a passphrase of at least " + MIN_PASSPHRASE + " characters");
        }
        return text;
    }

    private static Optional<byte[]> rawKey(String text) {
        try {
            byte[] raw = Base64.getDecoder().decode(text);
            return raw.length == KEY_BYTES ? Optional.of(raw) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64: a passphrase
        }
    }

    /**
     * The key kept in {@code file} (the base64 of 32 bytes and a newline), made first if there is
     * none. Made so that Berths starting together on one shared data root end with ONE key: each
     * writes a new key to a temporary file of its own (mode 0600 from the start), then links it to
     * the name, which fails when the name exists (link(2) never replaces), and reads back whatever
     * the name holds: its own key or the one that was there first.
     *
     * @throws IOException when the file cannot be made or read, or holds no key
     */
    public static byte[] fromFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return read(file);
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, ownerOnly(dir, OWNER_DIR));
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path temp = Files.createTempFile(dir, ".secret-key-", ".tmp", ownerOnly(dir, OWNER_FILE));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            try {
                Files.createLink(file, temp);
                LOG.warning(() -> "Made a new secret key in " + file + " (BERTH_SECRET_KEY is not set): it seals the"
                        + " passwords of registry endpoints. Back it up with the database; Berth nodes that do not"
                        + " share this data root need BERTH_SECRET_KEY set to one key.");
            } catch (FileAlreadyExistsException e) {
                // another Berth made it first: its key is the key
            } catch (UnsupportedOperationException | FileSystemException e) {
                // no hard links here: a move that refuses to replace (not atomic against a racing node)
                moveUnlessExists(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void moveUnlessExists(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file);
        } catch (FileAlreadyExistsException e) {
            // another Berth made it first
        }
    }

    private static byte[] read(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_FILE.containsAll(permissions)) {
                LOG.warning(() -> file + " can be read by others than its owner: chmod 600 it");
            }
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            byte[] key = Base64.getDecoder().decode(text);
            if (key.length == KEY_BYTES) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new IOException(file + " does not hold a key (the base64 of 32 bytes)");
    }

    private static FileAttribute<?>[] ownerOnly(Path dir, Set<PosixFilePermission> permissions) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }
}
