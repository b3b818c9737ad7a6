package org.berth.domain;

/**
 * The failures the registry can report, one subtype per condition of the OCI distribution spec
 * ("Error Codes" table). Domain and application code throw these; the API layer alone decides
 * how each one is written on the wire (see {@code org.berth.api.error.OciErrorCode}).
 */
public abstract sealed class RegistryException extends RuntimeException {

    private final transient Object detail;

    protected RegistryException(String message, Object detail) {
        super(message, null, false, false);
        this.detail = detail;
    }

    /** Extra, client-safe information for the {@code detail} field; may be null. */
    public Object detail() {
        return detail;
    }

    public static final class BlobUnknown extends RegistryException {
        public BlobUnknown(Digest digest) {
            super("blob unknown to registry", digest.toString());
        }
    }

    public static final class BlobUploadUnknown extends RegistryException {
        public BlobUploadUnknown(String uploadId) {
            super("blob upload unknown to registry", uploadId);
        }
    }

    public static final class BlobUploadInvalid extends RegistryException {
        public BlobUploadInvalid(String message) {
            super(message, null);
        }
    }

    /** A chunk that does not start where the upload ends (OCI dist-spec: 416 Range Not Satisfiable). */
    public static final class RangeInvalid extends RegistryException {
        private final long committed;

        public RangeInvalid(String message, long committed) {
            super(message, null);
            this.committed = committed;
        }

        /** Bytes the upload holds, so the client can be told where to resume. */
        public long committed() {
            return committed;
        }
    }

    public static final class DigestInvalid extends RegistryException {
        public DigestInvalid(String message, Object detail) {
            super(message, detail);
        }
    }

    public static final class ManifestBlobUnknown extends RegistryException {
        public ManifestBlobUnknown(Digest digest) {
            super("manifest references a blob unknown to this repository", digest.toString());
        }
    }

    public static final class ManifestInvalid extends RegistryException {
        public ManifestInvalid(String message) {
            super(message, null);
        }
    }

    public static final class ManifestUnknown extends RegistryException {
        public ManifestUnknown(String reference) {
            super("manifest unknown to registry", reference);
        }

        public ManifestUnknown(String message, String reference) {
            super(message, reference);
        }
    }

    public static final class NameInvalid extends RegistryException {
        public NameInvalid(String message, String name) {
            super(message, name);
        }
    }

    public static final class NameUnknown extends RegistryException {
        public NameUnknown(String name) {
            super("repository name not known to registry", name);
        }

        public NameUnknown(String message, String name) {
            super(message, name);
        }
    }

    /** A paging parameter ({@code n}) that is not a non-negative integer. */
    public static final class PaginationInvalid extends RegistryException {
        public PaginationInvalid(String value) {
            super("invalid number of results requested (n must be a non-negative integer)", value);
        }
    }

    public static final class SizeInvalid extends RegistryException {
        public SizeInvalid(String message) {
            super(message, null);
        }
    }

    public static final class TagInvalid extends RegistryException {
        public TagInvalid(String tag) {
            super("invalid tag", tag);
        }
    }

    public static final class Unsupported extends RegistryException {
        public Unsupported(String message) {
            super(message, null);
        }
    }

    /** The caller must authenticate; {@code challenge} is the WWW-Authenticate value to send. */
    public static final class Unauthorized extends RegistryException {
        private final String challenge;

        public Unauthorized(String message, String challenge) {
            super(message, null);
            this.challenge = challenge;
        }

        public String challenge() {
            return challenge;
        }
    }

    /**
     * Too many failed logins for one account, or too many open upload sessions for one owner:
     * refused until {@code retryAfterSeconds} pass (or, for sessions, one is finished or cancelled).
     */
    public static final class TooManyRequests extends RegistryException {
        private final long retryAfterSeconds;

        public TooManyRequests(String message, long retryAfterSeconds) {
            super(message, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    public static final class Denied extends RegistryException {
        public Denied(String message) {
            super(message, null);
        }

        public Denied(String message, Object detail) {
            super(message, detail);
        }
    }

    /**
     * The data root is full (no space left, or the file system's quota is used up): nothing more
     * can be stored until space is freed. What the failed write had stored is released.
     */
    public static final class InsufficientStorage extends RegistryException {
        public InsufficientStorage(String message) {
            super(message, null);
        }
    }

    /** The server cannot do its part now (its storage failed a write); the client may try again later. */
    public static final class Unavailable extends RegistryException {
        public Unavailable(String message) {
            super(message, null);
        }
    }

    /**
     * An administration-API resource (user, project, member, robot, token) that does not exist.
     * The message names the thing, e.g. {@code user 'alice' not found}.
     */
    public static final class NotFound extends RegistryException {
        public NotFound(String message, String name) {
            super(message, name);
        }
    }

    /** The request clashes with the current state: a name already taken, a project not empty. */
    public static final class Conflict extends RegistryException {
        public Conflict(String message, String name) {
            super(message, name);
        }
    }

    /** An administration-API request that is malformed or breaks a rule (name grammar, password policy). */
    public static final class InvalidRequest extends RegistryException {
        public InvalidRequest(String message) {
            super(message, null);
        }
    }
}
