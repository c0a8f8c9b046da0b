package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.selfplay.AgreementCheck;
import ai.collectiveagency.selfplay.AgreementVerdict;
import ai.collectiveagency.selfplay.Dialogue;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy judge of the benchmark, whose work is always done, but which also finds every
 * dialogue agreed once it has {@code maxTurns} turns: random weights never agree, and without
 * agreement no resolution would be written, so a benchmark would skip a real part of the work.
 */
final class LastTurnAgreement implements AgreementCheck {

    private final AgreementCheck judge;
    private final int maxTurns;

    LastTurnAgreement(AgreementCheck judge, int maxTurns) {
        this.judge = judge;
        this.maxTurns = maxTurns;
    }

    @Override
    public List<AgreementVerdict> check(List<Dialogue> dialogues) {
        List<AgreementVerdict> verdicts = new ArrayList<>(judge.check(dialogues));
        for (int i = 0; i < dialogues.size(); i++) {
            if (dialogues.get(i).turns().size() >= maxTurns) {
                verdicts.set(i, new AgreementVerdict(true, "last turn"));
            }
        }
        return verdicts;
    }
}
