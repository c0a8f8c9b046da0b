package ai.collectiveagency.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.ParallelRange;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link TrainingAttention}'s forward and backward against the same sums in double, written out
 * from the definition: 200 positions (four query blocks, the last partial), two query heads per
 * KV head, one row left-padded and one with a hole; and the same bits on one thread as on three.
 */
class TrainingAttentionTest {

    private static final int BATCH = 3;
    private static final int TIME = 200;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 16;
    private static final LlamaConfig CONFIG = new LlamaConfig("llama", HEADS * HEAD_DIM, 96, 1,
            HEADS, KV_HEADS, HEAD_DIM, 50, 256, 1e-5, 10000, false, false, null);

    private final SplittableRandom random = new SplittableRandom(41);
    private final float[] q = randoms(BATCH * TIME * HEADS * HEAD_DIM);
    private final float[] k = randoms(BATCH * TIME * KV_HEADS * HEAD_DIM);
    private final float[] v = randoms(BATCH * TIME * KV_HEADS * HEAD_DIM);
    private final float[] outGradient = randoms(q.length);
    private final int[][] attention = attention();

    @Test
    void forwardAndBackwardAreTheDefinitionsSums() {
        Run run = run(new ParallelRange(2));
        double[][] expected = reference();
        assertClose("out", run.out, expected[0]);
        assertClose("dq", run.gradients.queries(), expected[1]);
        assertClose("dk", run.gradients.keys(), expected[2]);
        assertClose("dv", run.gradients.values(), expected[3]);
    }

    @Test
    void sameBitsOnOneThreadAsOnThree() {
        Run one = run(new ParallelRange(1));
        Run three = run(new ParallelRange(3));
        assertThat(three.out).isEqualTo(one.out);
        assertThat(three.gradients.queries()).isEqualTo(one.gradients.queries());
        assertThat(three.gradients.keys()).isEqualTo(one.gradients.keys());
        assertThat(three.gradients.values()).isEqualTo(one.gradients.values());
    }

    private record Run(float[] out, TrainingAttention.Gradients gradients) {}

    private Run run(ParallelRange range) {
        TrainingAttention attend = new TrainingAttention(CONFIG, range);
        float[] out = new float[q.length];
        TrainingAttention.Saved saved = attend.forward(q, k, v, attention, out);
        TrainingAttention.Gradients gradients = new TrainingAttention.Gradients(
                new float[q.length], new float[k.length], new float[v.length]);
        attend.backward(q, k, v, out, outGradient, saved, attention, gradients);
        return new Run(out, gradients);
    }

    /** out, dq, dk, dv in double, query by query; a query that sees no key gives zeros. */
    private double[][] reference() {
        double[] out = new double[q.length];
        double[] dq = new double[q.length];
        double[] dk = new double[k.length];
        double[] dv = new double[v.length];
        int group = HEADS / KV_HEADS;
        for (int b = 0; b < BATCH; b++) {
            for (int h = 0; h < HEADS; h++) {
                int kv = h / group;
                for (int t = 0; t < TIME; t++) {
                    int qo = ((b * TIME + t) * HEADS + h) * HEAD_DIM;
                    double[] p = new double[TIME];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        if (attention[b][s] != 0) {
                            p[s] = dot(q, qo, k, keyAt(b, s, kv));
                            max = Math.max(max, p[s]);
                        }
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue; // sees no key
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        p[s] = attention[b][s] != 0 ? Math.exp(p[s] - max) : 0;
                        sum += p[s];
                    }
                    double d = 0;
                    double[] o = new double[HEAD_DIM];
                    for (int s = 0; s <= t; s++) {
                        p[s] /= sum;
                        for (int i = 0; i < HEAD_DIM; i++) {
                            o[i] += p[s] * v[keyAt(b, s, kv) + i];
                        }
                    }
                    for (int i = 0; i < HEAD_DIM; i++) {
                        out[qo + i] = o[i];
                        d += outGradient[qo + i] * o[i];
                    }
                    for (int s = 0; s <= t; s++) {
                        int ko = keyAt(b, s, kv);
                        double dp = 0;
                        for (int i = 0; i < HEAD_DIM; i++) {
                            dp += outGradient[qo + i] * v[ko + i];
                            dv[ko + i] += p[s] * outGradient[qo + i];
                        }
                        double ds = p[s] * (dp - d);
                        for (int i = 0; i < HEAD_DIM; i++) {
                            dq[qo + i] += ds * k[ko + i];
                            dk[ko + i] += ds * q[qo + i];
                        }
                    }
                }
            }
        }
        return new double[][] {out, dq, dk, dv};
    }

    private static int keyAt(int b, int s, int kv) {
        return ((b * TIME + s) * KV_HEADS + kv) * HEAD_DIM;
    }

    private static double dot(float[] a, int ao, float[] b, int bo) {
        double sum = 0;
        for (int i = 0; i < HEAD_DIM; i++) {
            sum += (double) a[ao + i] * b[bo + i];
        }
        return sum;
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(scale).as("%s is not all zeros", what).isGreaterThan(1e-3);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i)
                    .isCloseTo(expected[i], within(2e-5 * scale));
        }
    }

    /** Row 0 whole, row 1 left-padded by 70 (past the first query block), row 2 a hole. */
    private static int[][] attention() {
        int[][] mask = new int[BATCH][TIME];
        for (int t = 0; t < TIME; t++) {
            mask[0][t] = 1;
            mask[1][t] = t < 70 ? 0 : 1;
            mask[2][t] = t >= 100 && t < 110 ? 0 : 1;
        }
        return mask;
    }

    private float[] randoms(int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian() * 0.5f;
        }
        return values;
    }
}
