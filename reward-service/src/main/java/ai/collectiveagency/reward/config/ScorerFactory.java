package ai.collectiveagency.reward.config;

import ai.collectiveagency.scoring.composite.CompositeScorer;
import ai.collectiveagency.scoring.judge.JudgeScorer;
import ai.collectiveagency.scoring.judge.JudgeScorers;
import ai.collectiveagency.scoring.judge.Rubric;
import ai.collectiveagency.scoring.onnx.AnchorScorer;
import ai.collectiveagency.scoring.onnx.Anchors;
import ai.collectiveagency.scoring.onnx.EmbeddingCache;
import ai.collectiveagency.scoring.onnx.OnnxRewardModel;
import ai.collectiveagency.scoring.onnx.OnnxScorer;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import ai.collectiveagency.scoring.GroupScorer;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.sides.BothSidesScorer;
import ai.collectiveagency.scoring.sides.SideWeights;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the service's scorer from {@link RewardConfig}, checked first: one scorer as it is, or
 * the weighted {@link CompositeScorer} of several. An ONNX model that does not load stops
 * start-up with the file and what is wrong.
 */
@ApplicationScoped
public class ScorerFactory {

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<JudgeScorer> judges = new ArrayList<>();
    private SentenceEncoder encoder;

    @Produces
    @Singleton
    GroupScorer groupScorer(RewardConfig config) {
        RewardConfigChecks.requireValid(config);
        Map<String, Double> weights = new TreeMap<>(RewardConfigChecks.enabled(config));
        List<CompositeScorer.Part> parts = new ArrayList<>();
        weights.forEach((name, weight) -> parts.add(new CompositeScorer.Part(scorer(name,
                config), weight)));
        Scorer scorer = parts.size() == 1 && parts.get(0).weight() == 1.0
                ? parts.get(0).scorer() : new CompositeScorer(parts);
        return new GroupScorer(scorer, config.failedTrajectories(), Clock.systemUTC());
    }

    /** The judges built, for their metrics. */
    public List<JudgeScorer> judges() {
        return List.copyOf(judges);
    }

    private Scorer scorer(String name, RewardConfig config) {
        return switch (name) {
            case "judge" -> judge(config.judge(), false);
            case "self" -> judge(config.self(), true);
            case "onnx" -> onnx(config.onnx());
            case "embedding" -> new AnchorScorer(encoder(config.embedding()),
                    config.embedding().anchors().orElse(null), config.embedding().batchSize());
            case "negotiation" -> bothSides(config.embedding());
            default -> throw new IllegalArgumentException("unknown scorer " + name);
        };
    }

    private JudgeScorer judge(RewardConfig.Judge judge, boolean self) {
        JudgeScorer scorer = JudgeScorers.create(
                judge.endpoint(),
                Rubric.load(judge.rubric()),
                judge.guard(),
                judge.jsonMode(), judge.temperature(), judge.maxTokens(), judge.concurrency(),
                judge.cacheSize(), self);
        opened.add(scorer);
        judges.add(scorer);
        return scorer;
    }

    private OnnxScorer onnx(RewardConfig.Onnx onnx) {
        OnnxRewardModel model = OnnxRewardModel.load(onnx.model().orElseThrow(),
                onnx.maxTokens(), onnx.threads());
        opened.add(model);
        return new OnnxScorer(model, onnx.model().get().getFileName().toString(),
                model.fingerprint(), onnx.batchSize());
    }

    private BothSidesScorer bothSides(RewardConfig.Embedding embedding) {
        SentenceEncoder encoder = encoder(embedding);
        return new BothSidesScorer(new EmbeddingCache(encoder, embedding.batchSize(),
                embedding.cacheSize()), Anchors.load(encoder, embedding.anchors().orElse(null)),
                SideWeights.defaults());
    }

    /** The one sentence encoder of {@code embedding} and {@code negotiation}, loaded once. */
    private SentenceEncoder encoder(RewardConfig.Embedding embedding) {
        if (encoder == null) {
            encoder = embedding.model()
                    .map(folder -> SentenceEncoder.load(folder, embedding.maxTokens(),
                            embedding.threads()))
                    .orElseGet(() -> SentenceEncoder.bundled(embedding.maxTokens(),
                            embedding.threads()));
            opened.add(encoder);
        }
        return encoder;
    }

    @PreDestroy
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }
}
