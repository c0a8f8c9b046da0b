package ai.collectiveagency.scoring;

import java.util.List;
import java.util.Objects;

/**
 * A scorer's verdicts on a batch, in input order, and the scorer version that gave them (for
 * the policy judging itself, the policy version that answered).
 */
public record Scores(List<Verdict> verdicts, String scorerVersion) {

    public Scores {
        verdicts = List.copyOf(verdicts);
        Objects.requireNonNull(scorerVersion, "scorerVersion");
    }
}
