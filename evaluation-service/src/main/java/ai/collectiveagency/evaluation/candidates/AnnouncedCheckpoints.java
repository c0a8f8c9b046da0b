package ai.collectiveagency.evaluation.candidates;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.selfplay.checkpoint.BaseModel;
import ai.collectiveagency.selfplay.checkpoint.CheckpointLoader;
import ai.collectiveagency.selfplay.checkpoint.CheckpointStore;
import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;
import ai.collectiveagency.selfplay.checkpoint.VerifiedCheckpoint;
import ai.collectiveagency.schemas.signing.TrustedKeys;

/**
 * Turns an announcement on {@code alignment.checkpoints} into a {@link Contestant}, trusted as
 * the rollout fleet trusts it ({@link CheckpointVerifier}: the trainer's signature, the base
 * model's identity, the store root, the manifest; file contents checked as they load). The store
 * is only read.
 */
public final class AnnouncedCheckpoints {

    private final CheckpointVerifier verifier;
    private final CheckpointLoader loader;
    private final Policy base;

    /** @param base the base model's policy, whose model LORA adapters go on */
    public AnnouncedCheckpoints(TrustedKeys keys, CheckpointStore store, BaseModel baseModel,
            Policy base) {
        this.verifier = new CheckpointVerifier(keys, store, baseModel);
        this.loader = new CheckpointLoader(baseModel.folder());
        this.base = base;
    }

    /**
     * @throws ai.collectiveagency.selfplay.checkpoint.CheckpointRefusedException naming the
     *     version and what is wrong with it
     */
    public Contestant load(PolicyCheckpoint announcement) {
        VerifiedCheckpoint verified = verifier.verify(announcement, 0);
        String label = "v" + announcement.getVersion();
        if (announcement.getFormat() == CheckpointFormat.FULL) {
            return new Contestant(label, announcement.getVersion(), loader.full(verified), null);
        }
        return new Contestant(label, announcement.getVersion(), base,
                loader.adapter(verified, base.model()));
    }
}
