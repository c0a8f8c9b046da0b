package ai.collectiveagency.policy.decode.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaDecoder;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.stream.Stream;

/** The reference for block decoding: the plain Java decoder over one concatenated sequence. */
public final class PlainDecoding {

    static final String[] FIXTURES = {"stories260k", "qwen2-tiny-random", "qwen3-tiny-random"};

    private PlainDecoding() {}

    static Stream<String> fixtures() {
        return Stream.of(FIXTURES);
    }

    /** The next-token logits (V) of the plain decoder fed {@code tokens} one by one. */
    static float[] lastLogits(DecodeWeights weights, int[] tokens) {
        JavaDecoder decoder = new JavaDecoder(weights,
                JavaKvCache.empty(weights.config(), new int[] {0}, tokens.length),
                new PanelMatmul(new ParallelRange(1)));
        float[] logits = null;
        for (int token : tokens) {
            logits = decoder.step(new int[] {token});
        }
        return logits.clone();
    }

    /** {@code weights} cut to their first layer: a one-layer model of the same shape. */
    public static DecodeWeights firstLayer(DecodeWeights weights) {
        LlamaConfig c = weights.config();
        LlamaConfig one = new LlamaConfig(c.modelType(), c.hiddenSize(), c.intermediateSize(), 1,
                c.numHeads(), c.numKvHeads(), c.headDim(), c.vocabSize(), c.maxPositions(),
                c.rmsNormEps(), c.ropeTheta(), c.tiedEmbeddings(), c.qkvBias(), c.ropeScaling());
        return new DecodeWeights(one, new DecodeWeights.Layer[] {weights.layers()[0]},
                weights.embed(), weights.finalNorm(), weights.head());
    }

    /** Row {@code row} of (B, V) {@code logits} equals {@code expected} within 1e-4. */
    static void assertRowMatches(float[] logits, int row, float[] expected, String what) {
        int vocab = expected.length;
        for (int v = 0; v < vocab; v++) {
            assertThat(logits[row * vocab + v]).as("%s, logit %d", what, v)
                    .isCloseTo(expected[v], within(1e-4f));
        }
    }

    public static int argMax(float[] logits, int row, int vocab) {
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[row * vocab + v] > logits[row * vocab + best]) {
                best = v;
            }
        }
        return best;
    }
}
