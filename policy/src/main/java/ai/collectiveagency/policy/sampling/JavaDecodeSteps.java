package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaDecoder;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.model.KvCache;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decode steps in the Java decoder: after a copy of the engine's cache from its prefill, or
 * from an empty cache whose prompts {@link #prefill} feeds first.
 */
final class JavaDecodeSteps implements DecodeSteps {

    private final JavaDecoder decoder;
    private final LogitSampler sampler;
    private final JavaKvCache cache;
    private final AtomicReference<JavaKvCache> spare;

    private JavaDecodeSteps(DecodeWeights weights, JavaKvCache cache, SamplingParams params,
            AtomicReference<JavaKvCache> spare) {
        this.cache = cache;
        this.spare = spare;
        ParallelRange range = ParallelRange.shared();
        this.decoder = new JavaDecoder(weights, cache, new PanelMatmul(range));
        this.sampler = new LogitSampler(params, weights.config().vocabSize(), cache.batch(),
                range);
    }

    /**
     * Steps continuing the engine's prefill.
     *
     * @param prefilled the engine's cache after the prefill (copied; the caller still owns it)
     * @param padding leading padding slots of each row
     * @param capacity slots to reserve: prompt length + new tokens
     * @param spare a cache no longer in use, whose arrays these steps take over where they fit
     *     (it may hold null), and where {@link #close} leaves theirs for the next steps
     */
    static JavaDecodeSteps afterEnginePrefill(DecodeWeights weights, KvCache prefilled,
            int[] padding, int capacity, SamplingParams params,
            AtomicReference<JavaKvCache> spare) {
        return new JavaDecodeSteps(weights, JavaKvCache.copyOf(prefilled, weights.config(),
                padding, capacity, spare.getAndSet(null)), params, spare);
    }

    /**
     * Steps from an empty cache: call {@link #prefill} first.
     *
     * @param spare as for {@link #afterEnginePrefill}
     */
    static JavaDecodeSteps empty(DecodeWeights weights, int[] padding, int capacity,
            SamplingParams params, AtomicReference<JavaKvCache> spare) {
        return new JavaDecodeSteps(weights, JavaKvCache.empty(weights.config(), padding,
                capacity, spare.getAndSet(null)), params, spare);
    }

    /** Feeds the left-padded prompts (B, T) and chooses each row's first new token. */
    TokenChoice prefill(int[][] padded, float[] uniforms) {
        int[] tokens = new int[padded.length * padded[0].length];
        for (int b = 0; b < padded.length; b++) {
            System.arraycopy(padded[b], 0, tokens, b * padded[b].length, padded[b].length);
        }
        float[] logits = decoder.feed(tokens, padded[0].length);
        return sampler.choose(logits, padded.length, uniforms);
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

    /** Leaves the cache's arrays (plain Java arrays: nothing to free) for the next steps. */
    @Override
    public void close() {
        spare.set(cache);
    }
}
