package ai.collectiveagency.evaluation.run;

import ai.collectiveagency.evaluation.candidates.Contestant;
import ai.collectiveagency.evaluation.comparison.PointwiseFigures;
import ai.collectiveagency.evaluation.comparison.SetComparison;
import ai.collectiveagency.evaluation.protocol.Decoding;
import ai.collectiveagency.evaluation.protocol.PlayedTask;
import ai.collectiveagency.evaluation.protocol.SetPlayer;
import ai.collectiveagency.evaluation.sets.EvaluationSet;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import ai.collectiveagency.scoring.pairwise.PairJudge;
import ai.collectiveagency.scoring.pairwise.PairToJudge;
import ai.collectiveagency.scoring.pairwise.PairwiseComparison;
import ai.collectiveagency.schemas.TaskMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates a policy against an opponent on every set under every decoding: both play each set
 * (the opponent's plays are kept and reused while its label stays the same: the base model does
 * not change between checkpoints, and the same seeds give the same plays), every pair is judged
 * in both orders by the set's judge, and both policies get their pointwise figures. Not
 * thread-safe: contestants share one model.
 */
public final class Evaluator {

    /** Opponent plays kept: the base model's under each set and decoding, with room to spare. */
    private static final int KEPT_PLAYS = 32;

    private final SetPlayer player;
    private final Function<TaskMode, PairJudge> judges;
    private final Scorer pointwise;
    private final List<EvaluationSet> sets;
    private final List<Decoding> decodings;
    private final Map<String, List<PlayedTask>> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<PlayedTask>> eldest) {
            return size() > KEPT_PLAYS;
        }
    };

    /**
     * @param judges the pairwise judge of a set's mode (conflict resolution for negotiations,
     *     Collective Agency for single answers)
     * @param pointwise scores each text on its own, for the pointwise figures
     */
    public Evaluator(SetPlayer player, Function<TaskMode, PairJudge> judges, Scorer pointwise,
            EvaluationPlan plan) {
        this.player = player;
        this.judges = judges;
        this.pointwise = pointwise;
        this.sets = plan.sets();
        this.decodings = plan.decodings();
    }

    /** Tasks each contestant plays in one evaluation. */
    public int tasksPerContestant() {
        return sets.stream().mapToInt(set -> set.tasks().size()).sum() * decodings.size();
    }

    /** One comparison per set and decoding, in that order. */
    public List<SetComparison> evaluate(Contestant policy, Contestant opponent,
            EvaluationProgress progress) {
        progress.started(2 * tasksPerContestant());
        List<SetComparison> results = new ArrayList<>();
        for (EvaluationSet set : sets) {
            for (Decoding decoding : decodings) {
                String what = set.id() + " " + decoding.label();
                List<PlayedTask> theirs = opponentPlays(opponent, set, decoding, what, progress);
                List<PlayedTask> ours = play(policy, set, decoding, what, progress);
                results.add(compare(policy, opponent, set, decoding, ours, theirs));
            }
        }
        return results;
    }

    private List<PlayedTask> opponentPlays(Contestant opponent, EvaluationSet set,
            Decoding decoding, String what, EvaluationProgress progress) {
        String key = opponent.label() + "|" + set.id() + "|" + set.tasks().size() + "|"
                + decoding.label();
        List<PlayedTask> plays = kept.get(key);
        if (plays != null) {
            progress.played(what + " " + opponent.label() + " (kept)", plays.size());
            return plays;
        }
        plays = play(opponent, set, decoding, what, progress);
        kept.put(key, plays);
        return plays;
    }

    private List<PlayedTask> play(Contestant contestant, EvaluationSet set, Decoding decoding,
            String what, EvaluationProgress progress) {
        int[] reported = {0};
        return player.play(contestant.activate(), set, decoding, done -> {
            progress.played(what + " " + contestant.label(), done - reported[0]);
            reported[0] = done;
        });
    }

    private SetComparison compare(Contestant policy, Contestant opponent, EvaluationSet set,
            Decoding decoding, List<PlayedTask> ours, List<PlayedTask> theirs) {
        List<PairToJudge> pairs = new ArrayList<>(ours.size());
        for (int i = 0; i < ours.size(); i++) {
            pairs.add(new PairToJudge(ours.get(i).task(), ours.get(i).text(),
                    theirs.get(i).text()));
        }
        List<PairwiseComparison> comparisons = judges.apply(set.mode()).compare(pairs);
        return new SetComparison(policy.version(), opponent.label(), set.id(), set.mode(),
                decoding, ours, theirs, comparisons, figures(ours), figures(theirs));
    }

    private PointwiseFigures figures(List<PlayedTask> played) {
        Scores scores = pointwise.score(played.stream()
                .map(p -> new ScoringInput(p.task(), p.text())).toList());
        double[] values = new double[played.size()];
        for (int i = 0; i < values.length; i++) {
            // An unscorable text counts 0, as a failed trajectory does by the reward-service's
            // default (reward.failed-trajectories=zero).
            values[i] = scores.verdicts().get(i) instanceof Verdict.Scored s ? s.reward() : 0;
        }
        return PointwiseFigures.of(played, values);
    }
}
