package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.grpo.GroupAdvantages;
import ai.collectiveagency.policy.grpo.RewardScaling;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A synthetic RL task: reward = share of generated tokens equal to a target id. Samples a group
 * per prompt and turns it into a {@link TrainingBatch} exactly as the pipeline will: the tokens
 * and log-probs recorded at sampling time, never re-tokenised.
 */
final class SyntheticTask {

    static final int TARGET = 3;

    private final int[][] prompts = {{1, 7, 2}, {5, 9, 4}};
    private final int groupSize;
    private final int completionLength;

    SyntheticTask(int groupSize, int completionLength) {
        this.groupSize = groupSize;
        this.completionLength = completionLength;
    }

    /** A sampled round: the batch to train on and its mean reward. */
    record Round(TrainingBatch batch, double meanReward) {}

    Round sample(Llama model, long seed) {
        List<int[]> repeated = new ArrayList<>();
        for (int[] prompt : prompts) {
            for (int g = 0; g < groupSize; g++) {
                repeated.add(prompt);
            }
        }
        List<Generation> out = new Generator(model).generate(repeated,
                SamplingParams.sample(completionLength, 1.0, seed), Set.of(), StopCondition.NONE);
        double[] rewards = out.stream().mapToDouble(SyntheticTask::reward).toArray();
        double[] advantages = new GroupAdvantages(RewardScaling.GROUP).estimate(rewards,
                groupSize);
        return new Round(batch(repeated, out, advantages),
                java.util.Arrays.stream(rewards).average().orElse(0));
    }

    /** Mean reward of greedy-free sampling without training: the policy's current skill. */
    double evaluate(Llama model, long seed) {
        return sample(model, seed).meanReward();
    }

    static double reward(Generation g) {
        long hits = java.util.Arrays.stream(g.tokenIds()).filter(id -> id == TARGET).count();
        return (double) hits / g.tokenIds().length;
    }

    private static TrainingBatch batch(List<int[]> prompts, List<Generation> out,
            double[] advantages) {
        int rows = prompts.size();
        int width = prompts.get(0).length + out.get(0).tokenIds().length;
        int[][] tokens = new int[rows][width];
        int[][] attention = new int[rows][width];
        float[][] mask = new float[rows][width - 1];
        float[][] old = new float[rows][width - 1];
        for (int b = 0; b < rows; b++) {
            int[] prompt = prompts.get(b);
            Generation g = out.get(b);
            System.arraycopy(prompt, 0, tokens[b], 0, prompt.length);
            System.arraycopy(g.tokenIds(), 0, tokens[b], prompt.length, g.tokenIds().length);
            java.util.Arrays.fill(attention[b], 1);
            for (int i = 0; i < g.tokenIds().length; i++) {
                mask[b][prompt.length - 1 + i] = 1;
                old[b][prompt.length - 1 + i] = g.logprobs()[i];
            }
        }
        return new TrainingBatch(tokens, attention, mask, old, advantages);
    }
}
