package ai.collectiveagency.policy.decode.blocks;

import static ai.collectiveagency.policy.decode.blocks.PlainDecoding.argMax;
import static ai.collectiveagency.policy.decode.blocks.PlainDecoding.assertRowMatches;

import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaDecoder;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A multi-layer model, one stream: blocks A, B, C each prefilled under the view of the blocks
 * before it ([A], [A, B], [A, B, C]) then decoded under [A, B, C] give the plain decoder's logits
 * over A + B + C, since every key and value was computed in its full causal context.
 */
class PrefilledViewsTest {

    private static final int[] A = {1, 203, 207, 261};
    private static final int[] B = {178, 300, 50};
    private static final int[] C = {20, 30};
    private static final int DECODE_STEPS = 6;

    static Stream<Path> fixtures() {
        return PlainDecoding.fixtures().flatMap(name -> Fixtures.cases(name).stream());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void blocksPrefilledViewByViewDecodeLikeTheConcatenation(Path dir) {
        DecodeWeights weights;
        try (Llama model = Llama.load(dir)) {
            weights = DecodeWeights.of(model);
        }
        int vocab = weights.config().vocabSize();
        PanelMatmul matmul = new PanelMatmul(new ParallelRange(2));
        BlockDecoder blocks = new BlockDecoder(weights, matmul);
        JavaDecoder plain = new JavaDecoder(weights, JavaKvCache.empty(weights.config(),
                new int[] {0}, A.length + B.length + C.length + DECODE_STEPS), matmul);
        KvBlock a = blocks.newBlock("A");
        KvBlock b = blocks.newBlock("B");
        KvBlock c = blocks.newBlock("C");
        BlockView all = BlockView.of(a, b, c);

        float[] logits = blocks.prefill(BlockView.of(a), a, A); // one batched step
        assertRowMatches(logits, 0, plain(plain, A), "after A");
        for (int token : B) { // token by token
            logits = blocks.step(List.of(new BlockDecoder.Row(BlockView.of(a, b), b, token)));
        }
        assertRowMatches(logits, 0, plain(plain, B), "after B");
        logits = blocks.prefill(all, c, C);
        assertRowMatches(logits, 0, plain(plain, C), "after C");
        for (int step = 0; step < DECODE_STEPS; step++) {
            int next = argMax(logits, 0, vocab);
            logits = blocks.step(List.of(new BlockDecoder.Row(all, c, next)));
            assertRowMatches(logits, 0, plain(plain, new int[] {next}), "decode step " + step);
        }
    }

    private static float[] plain(JavaDecoder decoder, int[] tokens) {
        float[] logits = null;
        for (int token : tokens) {
            logits = decoder.step(new int[] {token});
        }
        return logits.clone();
    }
}
