package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaDecoder;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.model.KvCache;

/** Decode steps in the Java decoder, from a copy of the engine's cache after the prefill. */
final class JavaDecodeSteps implements DecodeSteps {

    private final JavaDecoder decoder;
    private final LogitSampler sampler;

    /**
     * @param prefilled the engine's cache after the prefill (copied; the caller still owns it)
     * @param padding leading padding slots of each row
     * @param capacity slots to reserve: prompt length + new tokens
     */
    JavaDecodeSteps(DecodeWeights weights, KvCache prefilled, int[] padding, int capacity,
            SamplingParams params) {
        JavaKvCache cache = JavaKvCache.copyOf(prefilled, weights.config(), padding, capacity);
        ParallelRange range = ParallelRange.shared();
        this.decoder = new JavaDecoder(weights, cache, new PanelMatmul(range));
        this.sampler = new LogitSampler(params, weights.config().vocabSize(), padding.length,
                range);
    }

    @Override
    public TokenChoice next(int[] lastTokens, float[] uniforms) {
        float[] logits = decoder.step(lastTokens);
        return sampler.choose(logits, lastTokens.length, uniforms);
    }

    @Override
    public void keepRows(int[] rows) {
        decoder.keepRows(rows);
    }

    @Override
    public void close() {
        // plain Java arrays: nothing to free
    }
}
