package ai.collectiveagency.trainer.loop;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.trainer.scored.ScoredRecord;

/** A group waiting for the step being gathered, and how many versions behind it was sampled. */
public record WaitingGroup(ScoredRecord read, long staleness) {

    public ScoredGroup group() {
        return read.group();
    }
}
