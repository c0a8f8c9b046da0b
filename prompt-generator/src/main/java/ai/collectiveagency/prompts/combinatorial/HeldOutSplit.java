package ai.collectiveagency.prompts.combinatorial;

import java.nio.charset.StandardCharsets;

/**
 * Marks a task held out (evaluation only) from its id alone: the id's 64-bit FNV-1a hash, mixed
 * and mapped to [0, 1), falls below the held-out share. A task id is held out or not in every
 * run, whatever else the run generates.
 */
public final class HeldOutSplit {

    private final double share;

    public HeldOutSplit(double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException("held-out share must lie in [0, 1], was " + share);
        }
        this.share = share;
    }

    public boolean isHeldOut(String taskId) {
        return unitInterval(taskId) < share;
    }

    /** The id's position in [0, 1), uniform over ids. */
    static double unitInterval(String taskId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : taskId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return (Mix.mix64(h) >>> 11) * 0x1.0p-53;
    }
}
