package ai.collectiveagency.rollout.checkpoint;

/**
 * Why a pin or unpin was not applied; {@link #tag()} is the {@code reason} label of
 * {@code rollout_pins_refused_total}.
 */
public enum PinRefusal {
    /** The record does not decode as a {@code FleetPin}. */
    MALFORMED("malformed"),
    /** No operator key is trusted: {@code rollout.control.public-keys} is not set. */
    NO_KEYS("no_keys"),
    /** The record carries no signature. */
    UNSIGNED("unsigned"),
    /** Signed by a key that is not in {@code rollout.control.public-keys} (or names none). */
    UNKNOWN_KEY("unknown_key"),
    /** Names a trusted key, but the signature does not verify: altered or forged. */
    SIGNATURE("signature"),
    /**
     * Authentic, but the pinned version was never announced on the checkpoints topic as this
     * replica read it: it holds what it serves and adopts nothing newer meanwhile.
     */
    NOT_ANNOUNCED("not_announced"),
    /**
     * Authentic and announced, but the checkpoint was refused (its reason is counted in
     * {@code rollout_checkpoints_refused_total}: files gone from the store, say): it holds what
     * it serves and adopts nothing newer meanwhile.
     */
    NOT_LOADED("not_loaded");

    private final String tag;

    PinRefusal(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
