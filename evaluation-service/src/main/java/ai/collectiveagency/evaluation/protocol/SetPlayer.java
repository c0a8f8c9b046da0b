package ai.collectiveagency.evaluation.protocol;

import ai.collectiveagency.evaluation.sets.EvaluationSet;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.selfplay.SelfPlay;
import ai.collectiveagency.selfplay.TaskTooLongException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Plays an evaluation set with one policy under the {@link EvaluationProtocol}: the same self-play
 * the fleet trains with (both personas, agreement checks by the policy itself), one trajectory
 * per task, tasks in lockstep batches. Each sequence's seed comes from its task's seed, so two
 * policies playing one set meet the same tasks with the same seeds.
 */
public final class SetPlayer {

    private final EvaluationProtocol protocol;
    private final PromptTemplates templates;
    private final int batchSize;

    /** @param batchSize tasks played in one lockstep batch */
    public SetPlayer(EvaluationProtocol protocol, PromptTemplates templates, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.protocol = protocol;
        this.templates = templates;
        this.batchSize = batchSize;
    }

    /**
     * Checks, before anything is played, that every task's opening prompt and token budget fit
     * the model's context.
     *
     * @throws IllegalArgumentException naming the set, the task and the sizes
     */
    public void requireFits(Policy policy, EvaluationSet set) {
        SelfPlay selfPlay = selfPlay(policy, Decoding.GREEDY);
        for (PromptTask task : set.tasks()) {
            try {
                selfPlay.admit(task);
            } catch (TaskTooLongException e) {
                throw new IllegalArgumentException("evaluation set " + set.id() + ": "
                        + e.getMessage() + " (shorter tasks, smaller token budgets or a model"
                        + " with a longer context)", e);
            }
        }
    }

    /**
     * @param done told how many tasks are played so far, after each batch
     * @return one played task per task of the set, in order
     * @throws TaskTooLongException when a task's opening prompt does not fit the model's context
     */
    public List<PlayedTask> play(Policy policy, EvaluationSet set, Decoding decoding,
            IntConsumer done) {
        SelfPlay selfPlay = selfPlay(policy, decoding);
        List<PlayedTask> played = new ArrayList<>(set.tasks().size());
        for (int from = 0; from < set.tasks().size(); from += batchSize) {
            List<PromptTask> batch = set.tasks().subList(from,
                    Math.min(from + batchSize, set.tasks().size()));
            List<RolloutGroup> groups = selfPlay.rollout(batch, 0);
            for (int i = 0; i < batch.size(); i++) {
                played.add(PlayedTask.of(batch.get(i),
                        groups.get(i).getTrajectories().get(0)));
            }
            done.accept(played.size());
        }
        return played;
    }

    private SelfPlay selfPlay(Policy policy, Decoding decoding) {
        return SelfPlay.builder().setPolicy(policy).setModelName("evaluated")
                .optSettings(protocol.settings(decoding)).optTemplates(templates).build();
    }
}
