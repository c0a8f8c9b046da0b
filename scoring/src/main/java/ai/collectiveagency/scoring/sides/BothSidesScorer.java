package ai.collectiveagency.scoring.sides;

import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import ai.collectiveagency.scoring.onnx.Anchors;
import ai.collectiveagency.scoring.onnx.EmbeddingCache;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task-conditioned offline reward: a resolution earns reward by serving both sides of its
 * task. Each persona is served as the resolution's closeness (sentence-encoder cosine) to that
 * persona's values, goals and constraints ({@link PersonaSide}, {@link SideWeights}); the reward
 * is the worse served persona's figure, as the negotiation paper tracks the group minimum, plus a
 * small Collective-Agency term ({@link Anchors}). A {@link TextQuality} gate then moves copies of
 * the task, self-repeating text and keyword lists to the floor, as it does an empty text.
 *
 * <p>No sentence scores well across tasks: what a resolution is compared with changes with every
 * task, and naming one side only leaves the other side's figure, the minimum, low. The rubric and
 * why each term resists hacking: {@code reward-service/README.md}.
 */
public final class BothSidesScorer implements Scorer {

    /** The reward of an empty text and the one a failed gate moves a text to: below any
     *  earned reward of a sentence in the language of the task. */
    public static final double FLOOR = -0.5;
    static final String VERSION = "1";

    private final EmbeddingCache encoder;
    private final Anchors collectiveAgency;
    private final SideWeights weights;

    public BothSidesScorer(EmbeddingCache encoder, Anchors collectiveAgency,
            SideWeights weights) {
        this.encoder = encoder;
        this.collectiveAgency = collectiveAgency;
        this.weights = weights;
    }

    /** With the shipped weights and Collective-Agency anchors, and a cache of 4,096 texts. */
    public static BothSidesScorer withDefaults(SentenceEncoder encoder, int batchSize) {
        return new BothSidesScorer(new EmbeddingCache(encoder, batchSize, 4096),
                Anchors.load(encoder, null), SideWeights.defaults());
    }

    @Override
    public String id() {
        return "negotiation:both-sides";
    }

    @Override
    public Scores score(List<ScoringInput> inputs) {
        Map<String, float[][]> sides = sidesOf(inputs);
        List<String> texts = inputs.stream().map(ScoringInput::text)
                .filter(text -> !text.isBlank()).toList();
        float[][] embeddings = encoder.embed(texts);
        List<Verdict> verdicts = new ArrayList<>(inputs.size());
        int next = 0;
        for (ScoringInput input : inputs) {
            if (input.task() == null) {
                verdicts.add(new Verdict.Unscorable("the negotiation reward scores a text "
                        + "against its task's personas; this text came without a task"));
            } else if (input.text().isBlank()) {
                verdicts.add(new Verdict.Scored(FLOOR, Map.of("gate", 0.0)));
            } else {
                verdicts.add(verdict(input, embeddings[next++],
                        sides.get(input.task().getTaskId())));
            }
        }
        return new Scores(verdicts, VERSION + "+" + collectiveAgency.version());
    }

    private Verdict verdict(ScoringInput input, float[] text, float[][] sides) {
        double sideA = side(text, sides, 0);
        double sideB = side(text, sides, 3);
        double served = Math.min(sideA, sideB);
        double ca = collectiveAgency.closeness(text).margin();
        TextQuality quality = TextQuality.of(input.text(), input.task());
        double gate = quality.gate();
        double earned = served + weights.collectiveAgency() * ca;
        Map<String, Double> breakdown = new LinkedHashMap<>();
        breakdown.put("side_a", sideA);
        breakdown.put("side_b", sideB);
        breakdown.put("both_sides", served);
        breakdown.put("collective_agency", ca);
        breakdown.put("copied_share", quality.copiedShare());
        breakdown.put("distinct_share", quality.distinctShare());
        breakdown.put("function_share", quality.functionShare());
        breakdown.put("gate", gate);
        return new Verdict.Scored(gate * earned + (1 - gate) * FLOOR, breakdown);
    }

    /** A persona's figure from the six side embeddings (A's three, then B's). */
    private double side(float[] text, float[][] sides, int from) {
        return weights.side(SentenceEncoder.cosine(text, sides[from]),
                SentenceEncoder.cosine(text, sides[from + 1]),
                SentenceEncoder.cosine(text, sides[from + 2]));
    }

    /** The six side embeddings of each task in the batch (a group shares one task). */
    private Map<String, float[][]> sidesOf(List<ScoringInput> inputs) {
        Map<String, PromptTask> tasks = new LinkedHashMap<>();
        for (ScoringInput input : inputs) {
            if (input.task() != null) {
                tasks.putIfAbsent(input.task().getTaskId(), input.task());
            }
        }
        List<String> texts = new ArrayList<>();
        for (PromptTask task : tasks.values()) {
            texts.addAll(PersonaSide.of(task.getPersonaA()).texts());
            texts.addAll(PersonaSide.of(task.getPersonaB()).texts());
        }
        float[][] embedded = encoder.embed(texts);
        Map<String, float[][]> sides = new LinkedHashMap<>();
        int at = 0;
        for (String taskId : tasks.keySet()) {
            float[][] six = new float[6][];
            System.arraycopy(embedded, at, six, 0, 6);
            sides.put(taskId, six);
            at += 6;
        }
        return sides;
    }
}
