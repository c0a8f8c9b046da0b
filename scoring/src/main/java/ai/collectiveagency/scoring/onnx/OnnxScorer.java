package ai.collectiveagency.scoring.onnx;

import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@link OnnxRewardModel} as a {@link Scorer}: each text's score is its reward (breakdown
 * {@code onnx -> score}), in batches of at most {@code batchSize}. Not thread-safe per call
 * order, but ONNX Runtime sessions may be shared.
 */
public final class OnnxScorer implements Scorer {

    private final OnnxRewardModel model;
    private final String name;
    private final String version;
    private final int batchSize;

    /**
     * @param name the model's name in {@code scorer_id}, e.g. its folder name
     * @param version recorded as {@code scorer_version}, e.g. {@link OnnxRewardModel#fingerprint}
     */
    public OnnxScorer(OnnxRewardModel model, String name, String version, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        this.model = model;
        this.name = name;
        this.version = version;
        this.batchSize = batchSize;
    }

    @Override
    public String id() {
        return "onnx:" + name;
    }

    @Override
    public Scores score(List<ScoringInput> inputs) {
        List<Verdict> verdicts = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<String> texts = inputs.subList(from, Math.min(inputs.size(), from + batchSize))
                    .stream().map(ScoringInput::text).toList();
            for (float score : model.score(texts)) {
                verdicts.add(new Verdict.Scored(score, Map.of("onnx", (double) score)));
            }
        }
        return new Scores(verdicts, version);
    }
}
