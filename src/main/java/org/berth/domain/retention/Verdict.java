package org.berth.domain.retention;

import java.util.Locale;

/**
 * What retention decided for one artifact, and why.
 *
 * @param rule the index (from 0) of the first rule that keeps it, when {@code reason} is {@link Reason#RULE}; else -1
 */
public record Verdict(RetentionArtifact artifact, Reason reason, int rule) {

    /** Why an artifact stays, or {@link #DELETE}. */
    public enum Reason {
        /** A rule keeps it through one of its tags (or as untagged). */
        RULE,
        /** One of its tags is protected by an enabled immutable-tag rule. */
        IMMUTABLE,
        /** A kept index lists it. */
        INDEX_CHILD,
        /** Its subject is kept (a signature, an SBOM, to any depth). */
        REFERRER,
        /** No rule selects it: a tag of it, or being untagged, is outside every rule; retention leaves it alone. */
        NOT_SELECTED,
        /** Selected, and no rule keeps it: the run deletes it. */
        DELETE;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean kept() {
        return reason != Reason.DELETE;
    }
}
