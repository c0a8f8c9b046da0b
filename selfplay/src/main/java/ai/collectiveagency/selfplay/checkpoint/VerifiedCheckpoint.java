package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.policy.checkpoint.VerifiedFolder;
import ai.collectiveagency.schemas.PolicyCheckpoint;

/**
 * A checkpoint that passed {@link CheckpointVerifier}: its signed record and its folder, pinned
 * by the manifest the record names (files are checked as they are read).
 */
public record VerifiedCheckpoint(PolicyCheckpoint record, VerifiedFolder folder) {

    /** {@code checkpoint version <n>}, for messages. */
    public String label() {
        return "checkpoint version " + record.getVersion();
    }
}
