package org.berth.domain;

/**
 * What follows {@code /manifests/} in a URL: a tag or a digest (OCI dist-spec {@code <reference>}).
 */
public sealed interface Reference permits Reference.ByTag, Reference.ByDigest {

    static Reference parse(String value) {
        if (value != null && Digest.looksLikeDigest(value)) {
            return new ByDigest(Digest.parse(value));
        }
        return new ByTag(new Tag(value));
    }

    record ByTag(Tag tag) implements Reference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }
}
