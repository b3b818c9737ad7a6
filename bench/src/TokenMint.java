import java.io.FileInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Mints registry access tokens (Docker registry token spec) that CNCF Distribution 2.8 accepts with
 * {@code auth: token: {realm, service, issuer, rootcertbundle}}, so the bench can send Bearer tokens
 * to Distribution as docker does (issue 15). The bench is the token service: the key pair and its
 * self-signed certificate come from keytool (a PKCS12 keystore, EC P-256); the certificate, exported as
 * PEM, is Distribution's rootcertbundle.
 *
 * <p>What Distribution 2.8.2 checks (registry/auth/token, libtrust era): {@code iss} equals the
 * configured issuer; {@code aud} (a string or a list) holds the configured service; {@code exp} and
 * {@code nbf} with 60 s leeway; a signature; the signing key found through {@code x5c} (a chain to a
 * certificate of the bundle), a {@code jwk} header, or {@code kid} equal to the libtrust key ID of the
 * public key of a certificate in the bundle; then every access the request needs
 * ({@code repository:NAME:pull} for a blob HEAD) must be in the {@code access} claim. ES256 signatures
 * are JWS's raw R||S (64 bytes), not DER.
 *
 * <p>Berth's own tokens ({@code /service/token}) are of the same kind (ES256, {@code kid}, the same
 * claims) but their {@code kid} is the RFC 7638 thumbprint of the key, which Distribution 2.8 does not
 * look up (it wants the libtrust key ID), so Distribution cannot take Berth-issued tokens as they are;
 * {@code --header kid-thumbprint} mints a token of that form to show it (Distribution answers 401 and logs
 * "token signed by untrusted key with ID").
 *
 * <pre>
 *   java bench/src/TokenMint.java KEYSTORE.p12 STOREPASS ALIAS --issuer I --service S
 *        [--scope repository:library/x:pull,push]... [--lifetime SECONDS (3600)] [--header kid|x5c|kid-thumbprint]
 *   java bench/src/TokenMint.java KEYSTORE.p12 STOREPASS ALIAS --print-kid
 * </pre>
 * Prints the token (or the libtrust key ID) on stdout.
 */
public class TokenMint {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: TokenMint KEYSTORE STOREPASS ALIAS (--print-kid | --issuer I --service S [--scope SCOPE]... [--lifetime S] [--header kid|x5c])");
            System.exit(2);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(args[0])) {
            ks.load(in, args[1].toCharArray());
        }
        String alias = args[2];
        PrivateKey key = (PrivateKey) ks.getKey(alias, args[1].toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
        if (key == null || cert == null) {
            throw new IllegalArgumentException("no key pair " + alias + " in " + args[0]);
        }
        String issuer = null, service = null, header = "kid";
        long lifetime = 3600;
        List<String> scopes = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--print-kid" -> {
                    System.out.println(libtrustKeyId(cert.getPublicKey()));
                    return;
                }
                case "--issuer" -> issuer = args[++i];
                case "--service" -> service = args[++i];
                case "--scope" -> scopes.add(args[++i]);
                case "--lifetime" -> lifetime = Long.parseLong(args[++i]);
                case "--header" -> header = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (issuer == null || service == null) {
            throw new IllegalArgumentException("--issuer and --service are required");
        }
        System.out.println(mint(key, cert, header, issuer, service, scopes, lifetime));
    }

    static String mint(PrivateKey key, X509Certificate cert, String headerKind, String issuer, String service,
                       List<String> scopes, long lifetimeSeconds) throws Exception {
        String header = switch (headerKind) {
            case "kid" -> "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"" + libtrustKeyId(cert.getPublicKey()) + "\"}";
            case "x5c" -> "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(cert.getEncoded()) + "\"]}";
            // Berth's own form (Nimbus keyIDFromThumbprint): Distribution 2.8 does not find such a kid
            case "kid-thumbprint" -> "{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"" + thumbprint((ECPublicKey) cert.getPublicKey()) + "\"}";
            default -> throw new IllegalArgumentException("--header kid, x5c or kid-thumbprint");
        };
        long now = Instant.now().getEpochSecond();
        byte[] jti = new byte[16];
        new SecureRandom().nextBytes(jti);
        StringBuilder access = new StringBuilder("[");
        for (String scope : scopes) {
            // type:name:actions, the name may hold ':' (a registry host with a port), so split at the ends
            int first = scope.indexOf(':'), last = scope.lastIndexOf(':');
            if (first < 0 || last == first) {
                throw new IllegalArgumentException("scope must be type:name:actions, was " + scope);
            }
            if (access.length() > 1) {
                access.append(',');
            }
            access.append("{\"type\":\"").append(json(scope.substring(0, first))).append("\",\"name\":\"")
                    .append(json(scope.substring(first + 1, last))).append("\",\"actions\":[");
            String[] actions = scope.substring(last + 1).split(",");
            for (int i = 0; i < actions.length; i++) {
                access.append(i > 0 ? "," : "").append('"').append(json(actions[i])).append('"');
            }
            access.append("]}");
        }
        access.append(']');
        String claims = "{\"iss\":\"" + json(issuer) + "\",\"sub\":\"bench\",\"aud\":\"" + json(service)
                + "\",\"exp\":" + (now + lifetimeSeconds) + ",\"nbf\":" + (now - 1) + ",\"iat\":" + now
                + ",\"jti\":\"" + HexFormat.of().formatHex(jti) + "\",\"access\":" + access + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");   // R||S, as JWS wants
        es256.initSign(key);
        es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(es256.sign());
    }

    /**
     * libtrust's key ID: SHA-256 of the DER SubjectPublicKeyInfo, the first 240 bits in base32
     * (RFC 4648, no padding: 48 characters), in 12 groups of 4 joined by ':'.
     */
    static String libtrustKeyId(PublicKey publicKey) throws Exception {
        byte[] hash = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()), 30);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b32 = new StringBuilder();
        int buffer = 0, bits = 0;
        for (byte b : hash) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                b32.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < b32.length(); i += 4) {
            id.append(i > 0 ? ":" : "").append(b32, i, i + 4);
        }
        return id.toString();
    }

    /** RFC 7638: SHA-256 of {"crv","kty","x","y"} in that order, base64url without padding. */
    static String thumbprint(ECPublicKey key) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + b64.encodeToString(unsigned32(key.getW().getAffineX()))
                + "\",\"y\":\"" + b64.encodeToString(unsigned32(key.getW().getAffineY())) + "\"}";
        return b64.encodeToString(MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] unsigned32(BigInteger n) {
        byte[] b = n.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
