package ai.collectiveagency.selfplay;

import java.util.Objects;

/**
 * The outcome of an agreement check for one dialogue.
 *
 * @param agreed whether the sides have agreed on the core direction of a resolution
 * @param evidence what the verdict rests on (the judge's raw answer, or why there was none), for
 *     logs and debugging
 */
public record AgreementVerdict(boolean agreed, String evidence) {

    public AgreementVerdict {
        Objects.requireNonNull(evidence, "evidence");
    }
}
