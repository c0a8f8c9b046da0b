package ai.collectiveagency.selfplay.checkpoint;

/**
 * Why a checkpoint was not adopted; {@link #tag()} is the {@code reason} label of
 * {@code rollout_checkpoints_refused_total}. Listed in the order the checks run: the signature
 * first, then the version, the base model, the URI and the store, and the files last.
 */
public enum RefusalReason {
    /** The record does not decode as a {@code PolicyCheckpoint}. */
    MALFORMED("malformed"),
    /** The record carries no signature. */
    UNSIGNED("unsigned"),
    /** Signed by a key that is not in {@code rollout.checkpoints.public-keys} (or names none). */
    UNKNOWN_KEY("unknown_key"),
    /** Names a trusted key, but the signature does not verify: altered or forged. */
    SIGNATURE("signature"),
    /** Signed, but its version is not above the one served (a replay, or a re-announcement). */
    NOT_NEWER("not_newer"),
    /** Made on another base model: another {@code base_model_sha256} (or none), or name. */
    BASE_MODEL("base_model"),
    /** The URI is not one the store reads (not a {@code file:} URI, or not a valid one). */
    URI("uri"),
    /**
     * A path outside {@code rollout.checkpoints.store-root}: the URI's, a {@code ..} segment, a
     * symlink that leaves the root (folder or file), or a shard index naming a file outside the
     * verified folder.
     */
    CONFINEMENT("confinement"),
    /** The URI names no folder. */
    MISSING("missing"),
    /** The record's sha256 is not the digest of the folder's {@code manifest.json}. */
    SHA256("sha256"),
    /**
     * A file is missing, altered (also while being loaded) or unlisted, or the manifest itself
     * is missing.
     */
    CORRUPT("corrupt"),
    /** A FULL checkpoint whose tokenizer files are not the served base model's. */
    TOKENIZER("tokenizer"),
    /** A LORA adapter while a FULL checkpoint (not the base weights) is served. */
    FORMAT("format"),
    /** The files verified but could not be loaded (shapes, config, engine error). */
    LOAD("load"),
    /**
     * Remote generation: no inference engine answered when asked to load the adapter (not up
     * yet, restarting); tried again like files not there yet.
     */
    ENGINE_UNAVAILABLE("engine_unavailable");

    private final String tag;

    RefusalReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
