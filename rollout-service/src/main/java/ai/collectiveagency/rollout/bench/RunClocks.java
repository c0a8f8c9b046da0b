package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.selfplay.ModelTimer;
import ai.collectiveagency.selfplay.TextTimer;

/**
 * The clocks one measured self-play reads: its own generation calls and text work, and those of
 * the policy judge, apart, inside the judge's whole time ({@code agreement}, set once the judge
 * is built around {@code judgeModel} and {@code judgeText}).
 */
final class RunClocks {

    final ModelTimer model = new ModelTimer();
    final TextTimer text = new TextTimer();
    final ModelTimer judgeModel = new ModelTimer();
    final TextTimer judgeText = new TextTimer();
    private TimedAgreement agreement;

    void agreement(TimedAgreement agreement) {
        this.agreement = agreement;
    }

    /** Every clock's nanoseconds now. */
    Reading read() {
        return new Reading(model.nanos(), text.nanos(), agreement.nanos(), judgeModel.nanos(),
                judgeText.nanos(), model.calls() + judgeModel.calls(),
                model.tokens() + judgeModel.tokens());
    }

    /** Nanoseconds (and generation calls and tokens) counted so far. */
    record Reading(long model, long text, long agreement, long judgeModel, long judgeText,
            long calls, long tokens) {

        Reading minus(Reading before) {
            return new Reading(model - before.model, text - before.text,
                    agreement - before.agreement, judgeModel - before.judgeModel,
                    judgeText - before.judgeText, calls - before.calls, tokens - before.tokens);
        }
    }
}
