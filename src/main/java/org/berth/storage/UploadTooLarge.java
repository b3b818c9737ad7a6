package org.berth.storage;

/**
 * An append would have taken an upload session past the size its caller allowed (the room its
 * project's quota leaves). Reading stopped there and the session is gone, with its bytes.
 */
public final class UploadTooLarge extends RuntimeException {

    private final long maxSize;
    private final long atLeast;

    public UploadTooLarge(long maxSize, long atLeast) {
        super("the upload would hold at least " + atLeast + " bytes, more than the " + maxSize + " allowed", null, false, false);
        this.maxSize = maxSize;
        this.atLeast = atLeast;
    }

    /** The most the session was allowed to hold. */
    public long maxSize() {
        return maxSize;
    }

    /** How many bytes the session would have held at least: the declared length, or one past the limit. */
    public long atLeast() {
        return atLeast;
    }
}
