package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;

/** The policy library's own recomputation of a turn's log-probs, the trainer's view of it. */
public final class TeacherForcing {

    private TeacherForcing() {}

    /**
     * log_softmax(logits / temperature) of each completion token given the prompt and the
     * completion before it: what {@code Generation.logprobs} promises.
     */
    public static float[] logprobs(Llama model, int[] prompt, int[] completion, double temperature) {
        int[] sequence = concat(prompt, completion);
        int[][] attention = {ones(sequence.length)};
        int vocab = model.config().vocabSize();
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager()) {
            float[] logits = model.forward(manager, new int[][] {sequence}, attention, null,
                    prompt.length - 1, true).toFloatArray(); // (1, n + 1, V)
            float[] out = new float[completion.length];
            for (int t = 0; t < completion.length; t++) {
                out[t] = logSoftmax(Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab),
                        temperature, completion[t]);
            }
            return out;
        }
    }

    /** {@link TokenScorer}'s log-probs (temperature 1) of the completion tokens. */
    public static float[] scorerLogprobs(Llama model, int[] prompt, int[] completion) {
        int[] sequence = concat(prompt, completion);
        float[] all = new TokenScorer(model).logprobs(new int[][] {sequence},
                new int[][] {ones(sequence.length)})[0];
        return Arrays.copyOfRange(all, prompt.length - 1, sequence.length - 1);
    }

    private static float logSoftmax(float[] row, double temperature, int id) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v / temperature - max);
        }
        return (float) (row[id] / temperature - max - Math.log(sum));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] ones(int n) {
        int[] out = new int[n];
        Arrays.fill(out, 1);
        return out;
    }
}
