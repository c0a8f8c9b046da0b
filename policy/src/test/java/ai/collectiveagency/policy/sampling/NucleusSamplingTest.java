package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.model.RandomWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Binned top-p picks what sorting the whole vocabulary picks, on the rows that stress its
 * shortcuts: ties inside and across bins, masked (-inf) ids, peaked rows (the head path), narrow
 * and flat rows, p at a row's own cumulative sums, and draws at 0 and just below 1.
 * {@link LogitSamplerTest} holds the same rule to the engine's sampler.
 */
class NucleusSamplingTest {

    private static final float[] TOP_PS = {0.05f, 0.3f, 0.9f, 0.95f, 0.999f, 0.9999999f};

    enum Row { FLAT, PEAKED, NARROW, TIED, MASKED, DOMINANT }

    @ParameterizedTest
    @EnumSource(Row.class)
    void choosesWhatAFullSortChooses(Row kind) {
        SplittableRandom random = new SplittableRandom(kind.ordinal());
        for (int vocab : new int[] {50, 2048, 32000}) {
            float[] lp = logSoftmax(logits(kind, vocab, random));
            float[] p = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                p[v] = (float) Math.exp(lp[v]);
            }
            int[] order = likeliestFirst(lp);
            NucleusSampling sampler = new NucleusSampling(vocab);
            for (float topP : topPs(order, p)) {
                for (float u : uniforms(random)) {
                    assertThat(sampler.choose(lp, p, topP, u))
                            .as("%s V=%d top-p %s u %s", kind, vocab, topP, u)
                            .isEqualTo(reference(order, p, topP, u));
                }
            }
        }
    }

    private static float[] logits(Row kind, int vocab, SplittableRandom random) {
        float[] logits = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            double z = RandomWeights.gaussian(random);
            logits[v] = (float) switch (kind) {
                case FLAT -> z;
                case PEAKED -> 3 * z + (v % 97 == 5 ? 12 : 0);
                case NARROW -> 0.01 * z;
                case TIED -> Math.round(2 * z) / 2.0; // a few values, each many times
                case MASKED -> v % 3 == 0 ? Double.NEGATIVE_INFINITY : 2 * z;
                case DOMINANT -> v == vocab / 2 ? 60 : z; // the rest beyond the bins' span
            };
        }
        return logits;
    }

    /** The usual cuts, and the row's own cumulative sums, where a cut decides by a float. */
    private static List<Float> topPs(int[] order, float[] p) {
        List<Float> cuts = new ArrayList<>();
        for (float topP : TOP_PS) {
            cuts.add(topP);
        }
        double running = 0;
        for (int i = 0; i < Math.min(order.length, 40); i += 3) {
            running += p[order[i]];
            float cumulative = (float) running;
            if (cumulative > 0 && cumulative <= 1) {
                cuts.add(cumulative);
                cuts.add(Math.nextDown(cumulative));
            }
        }
        return cuts;
    }

    private static float[] uniforms(SplittableRandom random) {
        float[] u = new float[12];
        u[0] = 0;
        u[1] = 1e-9f;
        u[2] = Math.nextDown(1f);
        for (int i = 3; i < u.length; i++) {
            u[i] = (float) random.nextDouble();
        }
        return u;
    }

    /** The engine's rule over the whole vocabulary in likeliest-first order (ties by id). */
    private static int reference(int[] order, float[] p, float topP, float u) {
        List<Integer> kept = new ArrayList<>();
        double running = 0;
        for (int id : order) {
            running += p[id];
            if (!((float) running - p[id] < topP)) {
                break;
            }
            kept.add(id);
        }
        double total = 0;
        for (int id : kept) {
            total += p[id];
        }
        float target = (float) total * u;
        running = 0;
        for (int id : kept) {
            running += p[id];
            if ((float) running > target) {
                return id;
            }
        }
        return order[order.length - 1];
    }

    private static int[] likeliestFirst(float[] lp) {
        return IntStream.range(0, lp.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(v -> -lp[v])
                        .thenComparingInt(v -> v))
                .mapToInt(Integer::intValue).toArray();
    }

    private static float[] logSoftmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        float[] lp = new float[logits.length];
        for (int v = 0; v < lp.length; v++) {
            lp[v] = (float) (logits[v] - max - Math.log(sum));
        }
        return lp;
    }
}
