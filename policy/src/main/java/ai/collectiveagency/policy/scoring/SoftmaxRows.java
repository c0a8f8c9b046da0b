package ai.collectiveagency.policy.scoring;

import static ai.collectiveagency.policy.engine.ReproducibleMath.exp;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.ReproducibleMath;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The log-softmax of the output head's logits, one row (scored position) at a time, in Java over
 * the logits' own memory ({@link LogitMemory}: the engine's or a Java array): forward, each
 * row's log-prob of its target and its entropy; backward, in place, the gradient of the logits
 * from each row's gradient of its log-prob.
 *
 * <p>For a row of logits l with target t, m = max l, s = Σ exp(l - m) and
 * w = Σ exp(l - m)(l - m): log p(t) = l_t - m - log s, the entropy is log s - w / s, and
 * d log p(t) / d l = onehot(t) - p.
 * A row (128 KB for a 32,000-token vocabulary) stays in the core's cache between its passes. The
 * engine's log-softmax, gather, entropy and their backward made six full-size arrays a slice and
 * about twelve passes over them; here forward reads the logits twice and backward writes them
 * once, with nothing allocated.
 *
 * <p>Results are the same to the bit whether the JIT has compiled this code yet or not, which a
 * trainer resumed from a checkpoint needs to repeat its steps exactly: the Vector API's own
 * {@code EXP} is the platform's vector library once compiled and {@code Math.exp} before, and
 * its float sums of lanes have no fixed order. So the exponential is {@link ReproducibleMath#exp},
 * and lanes are summed in order.
 */
final class SoftmaxRows {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /**
     * One slice's rows as the forward pass leaves them.
     *
     * @param logSumExp per row, m + log s: what backward needs
     * @param logprobs per row, the log-prob of its target
     * @param entropies per row, the entropy of its distribution
     */
    record Scores(float[] logSumExp, float[] logprobs, float[] entropies) {}

    private SoftmaxRows() {}

    /**
     * @param logits (rows, vocab) float32 logits, row-major
     * @param targets each row's target token
     * @throws IllegalArgumentException when a target lies outside [0, vocab): read unchecked, it
     *     would be another row's logit
     */
    static Scores score(LogitMemory logits, int rows, int vocab, int[] targets) {
        checkShape(logits, rows, vocab, targets);
        for (int target : targets) {
            if (target < 0 || target >= vocab) {
                throw new IllegalArgumentException("target token id " + target
                        + " lies outside the vocabulary of " + vocab);
            }
        }
        Scores scores = new Scores(new float[rows], new float[rows], new float[rows]);
        ParallelRange.shared().run(rows, 1, (start, end) -> {
            for (int row = start; row < end; row++) {
                scoreRow(logits, row, vocab, targets[row], scores);
            }
        });
        return scores;
    }

    /**
     * Overwrites {@code logits} with the gradient of Σ_r g_r · log p_r(t_r): row r becomes
     * g_r · (onehot(t_r) - p_r).
     *
     * @param logSumExp {@link Scores#logSumExp()} of the same logits
     * @param logprobGradients g, each row's gradient of its log-prob
     */
    static void backward(LogitMemory logits, int rows, int vocab, int[] targets,
            float[] logSumExp, float[] logprobGradients) {
        checkShape(logits, rows, vocab, targets);
        if (logSumExp.length != rows || logprobGradients.length != rows) {
            throw new IllegalArgumentException(rows + " rows, but " + logSumExp.length
                    + " log-sum-exps and " + logprobGradients.length + " gradients");
        }
        ParallelRange.shared().run(rows, 1, (start, end) -> {
            for (int row = start; row < end; row++) {
                backwardRow(logits, row, vocab, targets[row], logSumExp[row],
                        logprobGradients[row]);
            }
        });
    }

    private static void checkShape(LogitMemory logits, int rows, int vocab, int[] targets) {
        if (logits.size() != (long) rows * vocab || targets.length != rows) {
            throw new IllegalArgumentException(logits.size() + " logits and "
                    + targets.length + " targets are not " + rows + " rows of " + vocab
                    + " floats");
        }
    }

    private static void scoreRow(LogitMemory logits, int row, int vocab, int target,
            Scores scores) {
        int base = row * vocab;
        float max = max(logits, base, vocab);
        int bound = SPECIES.loopBound(vocab);
        // each lane's running sums live in small arrays, not in vectors carried from one
        // iteration to the next: JDK 17's compiled code boxed those (and each exponential), about
        // 0.5 GB of garbage a LoRA step of the bench model
        float[] sums = new float[SPECIES.length()];
        float[] weighted = new float[SPECIES.length()];
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector shifted = load(logits, base + i).sub(max);
            FloatVector e = exp(shifted);
            FloatVector.fromArray(SPECIES, sums, 0).add(e).intoArray(sums, 0);
            e.fma(shifted, FloatVector.fromArray(SPECIES, weighted, 0)).intoArray(weighted, 0);
        }
        double sum = sumInOrder(sums);
        double weightedSum = sumInOrder(weighted);
        for (; i < vocab; i++) {
            double shifted = logits.get(base + i) - max;
            double e = Math.exp(shifted);
            sum += e;
            weightedSum += e * shifted;
        }
        double logSum = Math.log(sum);
        scores.logSumExp()[row] = (float) (max + logSum);
        scores.logprobs()[row] =
                (float) (logits.get(base + target) - max - logSum);
        scores.entropies()[row] = (float) (logSum - weightedSum / sum);
    }

    private static void backwardRow(LogitMemory logits, int row, int vocab, int target,
            float logSumExp, float gradient) {
        int base = row * vocab;
        float targetLogit = logits.get(base + target);
        int bound = SPECIES.loopBound(vocab);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            logits.store(exp(load(logits, base + i).sub(logSumExp)).mul(-gradient), base + i);
        }
        for (; i < vocab; i++) {
            logits.put(base + i, (float) Math.exp(logits.get(base + i) - logSumExp) * -gradient);
        }
        float p = (float) Math.exp(targetLogit - logSumExp);
        logits.put(base + target, gradient * (1 - p));
    }

    private static float max(LogitMemory logits, int base, int vocab) {
        int bound = SPECIES.loopBound(vocab);
        float[] maxima = new float[SPECIES.length()]; // as the sums of scoreRow, not carried
        Arrays.fill(maxima, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, maxima, 0).max(load(logits, base + i))
                    .intoArray(maxima, 0);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float lane : maxima) {
            max = Math.max(max, lane);
        }
        for (; i < vocab; i++) {
            max = Math.max(max, logits.get(base + i));
        }
        return max;
    }

    private static double sumInOrder(float[] lanes) {
        double sum = 0;
        for (float value : lanes) {
            sum += value;
        }
        return sum;
    }

    private static FloatVector load(LogitMemory logits, int index) {
        return logits.load(SPECIES, index);
    }
}
