package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code k} likeliest tokens at each generated position, from one teacher-forced pass over
 * the prompt and the completion (the sampler keeps only the chosen token's log-prob): the
 * log-probs are log_softmax(logits / temperature), as for the chosen tokens. Runs on the policy
 * worker; costs one prefill of prompt plus completion per choice.
 */
final class TopLogprobs {

    /** One alternative: a token's text (decoded alone) and its log-probability. */
    record Alternative(int tokenId, String token, float logprob) {
    }

    private TopLogprobs() {
    }

    /** For each of the first {@code count} completion tokens, its {@code k} alternatives. */
    static List<List<Alternative>> of(Policy policy, int[] prompt, int[] completion, int count,
            double temperature, int k) {
        if (count == 0 || k == 0) {
            return List.of();
        }
        int[] sequence = Arrays.copyOf(prompt, prompt.length + count - 1);
        System.arraycopy(completion, 0, sequence, prompt.length, count - 1);
        int[][] attention = {new int[sequence.length]};
        Arrays.fill(attention[0], 1);
        Llama model = policy.model();
        float[] values;
        long[] ids;
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager()) {
            NDArray logits = model.forward(manager, new int[][] {sequence}, attention, null,
                    prompt.length - 1, true); // (1, count, V)
            NDList top = logits.div(temperature).logSoftmax(-1).topK(k, -1, true, true);
            values = top.get(0).toFloatArray(); // (1, count, k)
            ids = top.get(1).toLongArray();
        }
        List<List<Alternative>> out = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            List<Alternative> row = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                int id = (int) ids[t * k + j];
                row.add(new Alternative(id, policy.decode(new int[] {id}), values[t * k + j]));
            }
            out.add(row);
        }
        return out;
    }
}
