package ai.collectiveagency.scoring.onnx;

import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An offline reward from a sentence encoder: a text's reward is its mean cosine similarity to
 * positive anchor sentences minus its mean similarity to negative ones, in [-2, 2]
 * ({@link Anchors}). It ignores the task, so one generic sentence is its optimum for every
 * task: the task-conditioned {@code negotiation} reward is the demo's default, and this one stays
 * for scoring texts on their own and as a Collective-Agency term.
 */
public final class AnchorScorer implements Scorer {

    private final SentenceEncoder encoder;
    private final Anchors anchors;
    private final int batchSize;

    /**
     * @param anchors a JSON file ({@code id}, {@code version}, {@code positive}, {@code negative}
     *     lists of sentences), or null for the shipped {@code anchors/ca.json}
     */
    public AnchorScorer(SentenceEncoder encoder, Path anchors, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        this.encoder = encoder;
        this.anchors = Anchors.load(encoder, anchors);
        this.batchSize = batchSize;
    }

    @Override
    public String id() {
        return "embedding:" + anchors.id();
    }

    @Override
    public Scores score(List<ScoringInput> inputs) {
        List<Verdict> verdicts = new ArrayList<>(inputs.size());
        for (float[] embedding : encoder.embed(inputs.stream().map(ScoringInput::text).toList(),
                batchSize)) {
            Anchors.Closeness closeness = anchors.closeness(embedding);
            verdicts.add(new Verdict.Scored(closeness.margin(), Map.of(
                    "positive", closeness.toPositive(), "negative", closeness.toNegative())));
        }
        return new Scores(verdicts, anchors.version());
    }
}
