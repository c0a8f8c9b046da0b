package ai.collectiveagency.scoring.composite;

import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A weighted sum of scorers: reward = Σ weight_i · reward_i. The breakdown keeps every part,
 * each key prefixed with its scorer's id ({@code judge:ca@m.knowledge -> 4}), plus each scorer's
 * reward under its id. A text any part could not score is unscorable, with every part's reason.
 */
public final class CompositeScorer implements Scorer {

    /** One part of the sum. */
    public record Part(Scorer scorer, double weight) {
        public Part {
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight must be finite, was " + weight);
            }
        }
    }

    private final List<Part> parts;

    public CompositeScorer(List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a composite needs at least one scorer");
        }
        this.parts = List.copyOf(parts);
    }

    @Override
    public String id() {
        return parts.stream().map(p -> p.weight() + "*" + p.scorer().id())
                .collect(Collectors.joining("+", "composite(", ")"));
    }

    @Override
    public Scores score(List<ScoringInput> inputs) {
        List<Scores> each = new ArrayList<>(parts.size());
        for (Part part : parts) {
            each.add(part.scorer().score(inputs));
        }
        List<Verdict> verdicts = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            verdicts.add(combine(i, each));
        }
        String version = each.stream().map(Scores::scorerVersion)
                .collect(Collectors.joining("+"));
        return new Scores(verdicts, version);
    }

    private Verdict combine(int index, List<Scores> each) {
        double reward = 0;
        Map<String, Double> breakdown = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean judgeUnreachable = false;
        for (int p = 0; p < parts.size(); p++) {
            String id = parts.get(p).scorer().id();
            Verdict verdict = each.get(p).verdicts().get(index);
            if (verdict instanceof Verdict.Scored scored) {
                reward += parts.get(p).weight() * scored.reward();
                breakdown.put(id, scored.reward());
                scored.breakdown().forEach((key, value) -> breakdown.put(id + "." + key, value));
            } else {
                Verdict.Unscorable unscorable = (Verdict.Unscorable) verdict;
                problems.add(id + ": " + unscorable.reason());
                judgeUnreachable |= unscorable.judgeUnreachable();
            }
        }
        return problems.isEmpty() ? new Verdict.Scored(reward, breakdown)
                : new Verdict.Unscorable(String.join("; ", problems), judgeUnreachable);
    }
}
