package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.sampling.LogitSampler;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.TokenChoice;

import java.util.Set;
import java.util.SplittableRandom;

/** Picks one stream's next token: greedy or seeded, never one of its forbidden ids. */
final class StreamSampler {

    private final LogitSampler sampler;
    private final SplittableRandom random;
    private final boolean greedy;
    private final int[] forbidden;
    private final float[] masked;

    StreamSampler(SamplingParams params, int vocab, Set<Integer> forbidden) {
        this.sampler = new LogitSampler(params, vocab, 1, new ParallelRange(1));
        this.random = new SplittableRandom(params.seed());
        this.greedy = params.isGreedy();
        this.forbidden = forbidden.stream().mapToInt(Integer::intValue)
                .filter(id -> id < vocab).toArray();
        this.masked = new float[vocab];
    }

    /** The next token from {@code logits} (V), as its id and log-prob. */
    Sampled next(float[] logits) {
        float[] allowed = logits;
        if (forbidden.length > 0) { // the sampler reads the row only: copy just to mask it
            System.arraycopy(logits, 0, masked, 0, masked.length);
            for (int id : forbidden) {
                masked[id] = Float.NEGATIVE_INFINITY;
            }
            allowed = masked;
        }
        float u = greedy ? 0f : (float) random.nextDouble();
        TokenChoice choice = sampler.choose(allowed, 1, new float[] {u});
        return new Sampled((int) choice.ids()[0], choice.logprobs()[0]);
    }

    record Sampled(int id, float logprob) {}
}
