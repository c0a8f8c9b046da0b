package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.sampling.LogitSampler;
import ai.collectiveagency.policy.sampling.SamplingParams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The time to choose the next tokens from a batch of logits held in Java, as the Java decoder
 * does after each step: greedy, plain sampling at temperature 1 (what the decode figures use),
 * and the rollout-service's dialogue setting, top-p 0.95 at temperature 0.7.
 *
 * <p>The logits are normal with a standard deviation of 2: a flat distribution whose nucleus
 * holds a large share of the vocabulary, the costly case for top-p, as a young policy's is.
 * Top-p is also timed on peaked rows, one id 15 logits above the others (a trained policy's
 * usual row, whose nucleus is a few ids).
 */
final class SamplingFigure {

    private static final int WARM_UPS = 50;
    private static final int CALLS = 200;

    private SamplingFigure() {}

    static Map<String, Object> measure(int batch, int vocab) {
        SplittableRandom random = new SplittableRandom(11);
        float[] logits = new float[batch * vocab];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * RandomWeights.gaussian(random));
        }
        float[] peaked = logits.clone();
        for (int b = 0; b < batch; b++) {
            peaked[b * vocab + b % vocab] += 15;
        }
        float[] uniforms = new float[batch];
        for (int b = 0; b < batch; b++) {
            uniforms[b] = (float) random.nextDouble();
        }
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("batch", batch);
        figure.put("vocab", vocab);
        figure.put("greedy_us_per_row",
                microsPerRow(SamplingParams.greedy(1), logits, batch, vocab, uniforms));
        figure.put("sample_us_per_row",
                microsPerRow(SamplingParams.sample(1, 1.0, 0), logits, batch, vocab, uniforms));
        SamplingParams topP = new SamplingParams(1, 0.7, 0.95, 0, 0);
        figure.put("top_p_us_per_row", microsPerRow(topP, logits, batch, vocab, uniforms));
        figure.put("top_p_peaked_us_per_row",
                microsPerRow(topP, peaked, batch, vocab, uniforms));
        return figure;
    }

    private static double microsPerRow(SamplingParams params, float[] logits, int batch,
            int vocab, float[] uniforms) {
        LogitSampler sampler = new LogitSampler(params, vocab, batch, ParallelRange.shared());
        for (int i = 0; i < WARM_UPS; i++) {
            sampler.choose(logits, batch, uniforms);
        }
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            sampler.choose(logits, batch, uniforms);
        }
        double micros = (System.nanoTime() - start) / 1e3 / CALLS / batch;
        return Math.round(micros * 100) / 100.0;
    }
}
