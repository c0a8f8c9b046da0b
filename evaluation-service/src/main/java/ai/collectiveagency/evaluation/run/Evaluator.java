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
    private final Map<String, Played> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Played> eldest) {
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
                Played theirs = opponentPlays(opponent, set, decoding, what, progress);
                Played ours = scored(play(policy, set, decoding, what, progress));
                results.add(compare(policy, opponent, set, decoding, ours, theirs));
            }
        }
        return results;
    }

    /** The opponent's plays and their figures, kept while its label stays the same. */
    private Played opponentPlays(Contestant opponent, EvaluationSet set, Decoding decoding,
            String what, EvaluationProgress progress) {
        String key = opponent.label() + "|" + set.id() + "|" + set.tasks().size() + "|"
                + decoding.label();
        Played played = kept.get(key);
        if (played != null) {
            progress.played(what + " " + opponent.label() + " (kept)", played.tasks().size());
            return played;
        }
        played = scored(play(opponent, set, decoding, what, progress));
        kept.put(key, played);
        return played;
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
            Decoding decoding, Played ours, Played theirs) {
        List<PairToJudge> pairs = new ArrayList<>(ours.tasks().size());
        for (int i = 0; i < ours.tasks().size(); i++) {
            pairs.add(new PairToJudge(ours.tasks().get(i).task(), ours.tasks().get(i).text(),
                    theirs.tasks().get(i).text()));
        }
        List<PairwiseComparison> comparisons = judges.apply(set.mode()).compare(pairs);
        return new SetComparison(policy.version(), opponent.label(), set.id(), set.mode(),
                decoding, ours.tasks(), theirs.tasks(), comparisons, ours.figures(),
                theirs.figures());
    }

    /** One contestant's plays of a set under a decoding, with their pointwise figures. */
    private record Played(List<PlayedTask> tasks, PointwiseFigures figures) {
    }

    private Played scored(List<PlayedTask> played) {
        return new Played(played, figures(played));
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
