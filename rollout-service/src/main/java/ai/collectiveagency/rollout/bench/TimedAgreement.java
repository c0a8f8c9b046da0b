package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.selfplay.AgreementCheck;
import ai.collectiveagency.selfplay.AgreementVerdict;
import ai.collectiveagency.selfplay.Dialogue;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** An agreement check whose calls are timed: the judge's whole share of a rollout's wall time. */
final class TimedAgreement implements AgreementCheck {

    private final AgreementCheck check;
    private final LongAdder nanos = new LongAdder();

    TimedAgreement(AgreementCheck check) {
        this.check = check;
    }

    @Override
    public List<AgreementVerdict> check(List<Dialogue> dialogues) {
        long start = System.nanoTime();
        try {
            return check.check(dialogues);
        } finally {
            nanos.add(System.nanoTime() - start);
        }
    }

    /** Nanoseconds inside {@link #check} so far. */
    long nanos() {
        return nanos.sum();
    }
}
