package ai.collectiveagency.policy.decode.blocks;

import static ai.collectiveagency.policy.decode.blocks.PlainDecoding.argMax;
import static ai.collectiveagency.policy.decode.blocks.PlainDecoding.assertRowMatches;
import static ai.collectiveagency.policy.decode.blocks.PlainDecoding.lastLogits;

import ai.collectiveagency.policy.decode.DecodeWeights;
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
 * A thinker and a writer decoding together in one batched step of a one-layer model, where the
 * paper's approximation is exact: each row's logits equal the plain decoder's over that row's
 * view concatenated, which holds the other stream's token of the same step.
 */
class TwoStreamsOneLayerTest {

    private static final int[] PROMPT = {1, 203, 207, 261, 178}; // ids < 379 fit every fixture
    private static final int THINKER_ALONE = 3;
    private static final int JOINT = 5;

    static Stream<Path> fixtures() {
        return PlainDecoding.fixtures().flatMap(name -> Fixtures.cases(name).stream());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void eachStreamSeesTheOthersNewTokenAndMatchesThePlainDecoder(Path dir) {
        DecodeWeights weights;
        try (Llama model = Llama.load(dir)) {
            weights = PlainDecoding.firstLayer(DecodeWeights.of(model));
        }
        int vocab = weights.config().vocabSize();
        BlockDecoder decoder = new BlockDecoder(weights, new PanelMatmul(new ParallelRange(2)));
        KvBlock prompt = decoder.newBlock("prompt");
        KvBlock thinker = decoder.newBlock("thinker");
        KvBlock writer = decoder.newBlock("writer");
        BlockView thinkerView = BlockView.of(prompt, writer, thinker);
        BlockView writerView = BlockView.of(prompt, thinker, writer);

        float[] logits = decoder.prefill(BlockView.of(prompt), prompt, PROMPT);
        int thought = argMax(logits, 0, vocab);
        for (int step = 0; step < THINKER_ALONE; step++) {
            logits = decoder.step(List.of(new BlockDecoder.Row(thinkerView, thinker, thought)));
            assertRowMatches(logits, 0, lastLogits(weights, thinkerView.tokens()),
                    "thinker alone, step " + step);
            thought = argMax(logits, 0, vocab);
        }
        int word = 50; // the writer starts; its first token shifts nothing in the thinker's view
        for (int step = 0; step < JOINT; step++) {
            logits = decoder.step(List.of(new BlockDecoder.Row(thinkerView, thinker, thought),
                    new BlockDecoder.Row(writerView, writer, word)));
            assertRowMatches(logits, 0, lastLogits(weights, thinkerView.tokens()),
                    "thinker, joint step " + step);
            assertRowMatches(logits, 1, lastLogits(weights, writerView.tokens()),
                    "writer, joint step " + step);
            thought = argMax(logits, 0, vocab);
            word = argMax(logits, 1, vocab);
        }
    }
}
