package ai.collectiveagency.rollout.checkpoint;

/**
 * Why a checkpoint was not adopted; {@link #tag()} is the {@code reason} label of
 * {@code rollout_checkpoints_refused_total}.
 */
public enum RefusalReason {
    /** The record does not decode as a {@code PolicyCheckpoint}. */
    MALFORMED("malformed"),
    /** The URI is not one the store reads (not a {@code file:} URI, or not a valid one). */
    URI("uri"),
    /** The URI names no folder. */
    MISSING("missing"),
    /** The record's sha256 is not the digest of the folder's {@code manifest.json}. */
    SHA256("sha256"),
    /** A file is missing, altered or unlisted, or the manifest itself is missing. */
    CORRUPT("corrupt"),
    /** A LORA adapter for another base model than the one served. */
    BASE_MODEL("base_model"),
    /** A LORA adapter while a FULL checkpoint (not the base weights) is served. */
    FORMAT("format"),
    /** The files verified but could not be loaded (shapes, config, engine error). */
    LOAD("load");

    private final String tag;

    RefusalReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
