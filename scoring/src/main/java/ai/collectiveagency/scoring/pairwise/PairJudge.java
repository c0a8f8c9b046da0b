package ai.collectiveagency.scoring.pairwise;

import java.util.List;

/**
 * Judges pairs of answers in both orders: the LLM under a rubric ({@link PairwiseJudge}), or the
 * embedded scorer comparing scores ({@link ScoreComparison}).
 */
public interface PairJudge {

    /** What the judge is, for reports (e.g. {@code llm:gpt-4o/conflict-resolution}). */
    String id();

    /** One comparison per pair, in order; a pair the judge could not answer is failed, not thrown. */
    List<PairwiseComparison> compare(List<PairToJudge> pairs);
}
