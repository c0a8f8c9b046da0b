package ai.collectiveagency.scoring;

import java.util.List;

/**
 * Turns texts into rewards. Implementations: the LLM judge ({@code judge}), the policy judging
 * itself ({@code self}), ONNX reward models ({@code onnx}) and weighted combinations.
 */
public interface Scorer {

    /** Recorded as {@code scorer_id}, e.g. {@code judge:ca@gpt-4o-mini}. */
    String id();

    /** One verdict per input, in order; failures become {@link Verdict.Unscorable}. */
    Scores score(List<ScoringInput> inputs);
}
