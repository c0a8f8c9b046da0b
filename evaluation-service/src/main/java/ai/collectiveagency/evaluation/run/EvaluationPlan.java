package ai.collectiveagency.evaluation.run;

import ai.collectiveagency.evaluation.protocol.Decoding;
import ai.collectiveagency.evaluation.sets.EvaluationSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an evaluation covers: the sets (each cut to its first {@code tasksPerSet} tasks) and the
 * decodings, every set under every decoding.
 */
public record EvaluationPlan(List<EvaluationSet> sets, List<Decoding> decodings) {

    public EvaluationPlan {
        sets = List.copyOf(sets);
        decodings = List.copyOf(new LinkedHashSet<>(decodings));
        if (sets.isEmpty() || decodings.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one set and one"
                    + " decoding");
        }
    }

    /**
     * @param sets shipped set names or {@code .jsonl} files
     * @param decodings {@code greedy} and/or {@code sampled}
     * @throws IllegalArgumentException naming the set or decoding that is wrong
     */
    public static EvaluationPlan of(List<String> sets, int tasksPerSet, List<String> decodings) {
        return new EvaluationPlan(sets.stream().map(String::strip)
                .map(EvaluationSet::load).map(set -> set.first(tasksPerSet)).toList(),
                decodings.stream().map(Decoding::of).toList());
    }
}
