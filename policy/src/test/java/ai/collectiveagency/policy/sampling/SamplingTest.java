package ai.collectiveagency.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Seeded sampling, truncation, stopping and the returned log-probs, on stories260k. */
class SamplingTest {

    private static final int[] PROMPT = {1, 403, 407, 261, 378, 300};
    private static final List<int[]> OTHERS = List.of(new int[] {1}, new int[] {1, 500, 505});
    private static final int TOKENS = 16;

    private static Llama model;
    private static Generator generator;

    @BeforeAll
    static void load() {
        model = Llama.load(Fixtures.shipped("stories260k"));
        generator = new Generator(model);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void sameSeedGivesSameTokensAndLogprobs() {
        Generation first = alone(SamplingParams.sample(TOKENS, 1.0, 7));
        Generation second = alone(SamplingParams.sample(TOKENS, 1.0, 7));

        assertThat(second.tokenIds()).containsExactly(first.tokenIds());
        assertThat(second.logprobs()).containsExactly(first.logprobs());
    }

    @Test
    void differentSeedsGiveDifferentTokens() {
        Generation first = alone(SamplingParams.sample(TOKENS, 1.0, 7));
        Generation second = alone(SamplingParams.sample(TOKENS, 1.0, 8));

        assertThat(second.tokenIds()).isNotEqualTo(first.tokenIds());
    }

    static Stream<SamplingParams> seededParams() {
        return Stream.of(
                SamplingParams.sample(TOKENS, 1.0, 11),
                new SamplingParams(TOKENS, 0.9, 0.8, 20, 11));
    }

    @ParameterizedTest
    @MethodSource("seededParams")
    void seededSequenceIsTheSameAloneAndInABatch(SamplingParams params) {
        Generation alone = alone(params);
        List<int[]> batch = Stream.concat(Stream.of(PROMPT), OTHERS.stream()).toList();
        Generation batched = generator.generate(batch, params, Set.of(), StopCondition.NONE)
                .get(0);

        assertThat(batched.tokenIds()).containsExactly(alone.tokenIds());
        assertThat(batched.logprobs()).containsExactly(alone.logprobs(), within(1e-4f));
    }

    @ParameterizedTest
    @MethodSource("seededParams")
    void perPromptSeedGivesTheSameSequenceInAnyRowAndBatch(SamplingParams params) {
        long seed = 99;
        Generation alone = generator.generate(List.of(PROMPT), params, new long[] {seed},
                Set.of(), StopCondition.NONE).get(0);
        List<int[]> batch = Stream.concat(OTHERS.stream(), Stream.of(PROMPT)).toList();
        Generation lastRow = generator.generate(batch, params, new long[] {5, 6, seed},
                Set.of(), StopCondition.NONE).get(2);

        assertThat(lastRow.tokenIds()).containsExactly(alone.tokenIds());
        assertThat(lastRow.logprobs()).containsExactly(alone.logprobs(), within(1e-4f));
    }

    @Test
    void samePromptWithTwoSeedsInOneBatchGivesTwoSequences() {
        List<Generation> out = generator.generate(List.of(PROMPT, PROMPT),
                SamplingParams.sample(TOKENS, 1.0, 0), new long[] {1, 2}, Set.of(),
                StopCondition.NONE);

        assertThat(out.get(1).tokenIds()).isNotEqualTo(out.get(0).tokenIds());
    }

    @Test
    void seedCountMustMatchPromptCount() {
        assertThatThrownBy(() -> generator.generate(List.of(PROMPT),
                SamplingParams.sample(TOKENS, 1.0, 0), new long[] {1, 2}, Set.of(),
                StopCondition.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 seeds for 1 prompts");
    }

    @Test
    void topKOneGivesTheGreedySequence() {
        Generation greedy = alone(SamplingParams.greedy(TOKENS));
        Generation topOne = alone(new SamplingParams(TOKENS, 1.0, 1.0, 1, 3));

        assertThat(topOne.tokenIds()).containsExactly(greedy.tokenIds());
    }

    @Test
    void topKFiveChoosesAmongTheFiveLikeliestAtEveryStep() {
        Generation out = alone(new SamplingParams(TOKENS, 1.0, 1.0, 5, 5));
        float[][] logits = teacherForcedLogits(out.tokenIds());

        for (int t = 0; t < logits.length; t++) {
            float chosen = logits[t][out.tokenIds()[t]];
            long likelier = countGreater(logits[t], chosen);
            assertThat(likelier).as("tokens likelier than the choice at step %d", t)
                    .isLessThan(5);
        }
    }

    @Test
    void logprobsEqualTeacherForcedLogSoftmaxAtTheTemperature() {
        double temperature = 0.7;
        Generation out = alone(SamplingParams.sample(TOKENS, temperature, 21));
        float[][] logits = teacherForcedLogits(out.tokenIds());

        for (int t = 0; t < logits.length; t++) {
            assertThat(out.logprobs()[t]).as("log-prob of token %d", t)
                    .isCloseTo(logSoftmax(logits[t], temperature, out.tokenIds()[t]),
                            within(1e-4f));
        }
    }

    @Test
    void endOfSequenceIdStopsTheSequenceAndIsKept() {
        int[] greedy = alone(SamplingParams.greedy(TOKENS)).tokenIds();
        int eos = greedy[2];
        assertThat(Arrays.copyOf(greedy, 2)).doesNotContain(eos);

        Generation out = generator.generate(List.of(PROMPT), SamplingParams.greedy(TOKENS),
                Set.of(eos), StopCondition.NONE).get(0);

        assertThat(out.tokenIds()).containsExactly(Arrays.copyOf(greedy, 3));
        assertThat(out.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void tokenBudgetEndsTheSequenceWithLength() {
        Generation out = alone(SamplingParams.greedy(5));

        assertThat(out.tokenIds()).hasSize(5);
        assertThat(out.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void stopConditionStopsTheSequence() {
        int[] greedy = alone(SamplingParams.greedy(TOKENS)).tokenIds();

        Generation out = generator.generate(List.of(PROMPT), SamplingParams.greedy(TOKENS),
                Set.of(), generated -> generated.length == 4).get(0);

        assertThat(out.tokenIds()).containsExactly(Arrays.copyOf(greedy, 4));
        assertThat(out.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void promptPlusBudgetBeyondMaxPositionsIsRefused() {
        int budget = model.config().maxPositions() - PROMPT.length + 1;

        assertThatThrownBy(() -> alone(SamplingParams.greedy(budget)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the model's " + model.config().maxPositions()
                        + " positions");
    }

    @Test
    void aPromptTokenOutsideTheVocabularyIsRefusedOnEitherPrefill() {
        int vocab = model.config().vocabSize();
        List<int[]> prompts = List.of(new int[] {1, vocab});
        for (int javaPrefillTokens : new int[] {0, 1024}) {
            Generator either = new Generator(model, DecodeBackend.JAVA, javaPrefillTokens);
            assertThatThrownBy(() -> either.generate(prompts, SamplingParams.greedy(2), Set.of(),
                    StopCondition.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("prompt token " + vocab + " is outside the vocabulary [0, "
                            + vocab + ")");
        }
    }

    @Test
    void aBadJavaPrefillBoundNamesItsProperty() {
        String key = Generator.JAVA_PREFILL_TOKENS_PROPERTY;
        System.setProperty(key, "-5");
        try {
            assertThatThrownBy(() -> new Generator(model))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(key + "=-5 is not a number of tokens (0 or more)");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void aBudgetNearTheIntLimitIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> alone(SamplingParams.greedy(Integer.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the model's");
    }

    @Test
    void theObserverSeesEveryTokenWhenItIsSampled() {
        List<int[]> prompts = List.of(PROMPT, OTHERS.get(1));
        long[] seeds = {3, 4};
        List<List<Integer>> seen = List.of(new ArrayList<>(), new ArrayList<>());
        List<FinishReason> finishes = new ArrayList<>();
        GenerationObserver observer = new GenerationObserver() {
            @Override
            public void token(int sequence, int tokenId, float logprob, FinishReason finish) {
                seen.get(sequence).add(tokenId);
                if (finish != null) {
                    finishes.add(finish);
                }
            }
        };

        List<Generation> out = generator.generate(prompts, SamplingParams.sample(TOKENS, 1.0, 0),
                seeds, Set.of(), StopCondition.NONE, observer);

        for (int b = 0; b < prompts.size(); b++) {
            assertThat(seen.get(b)).containsExactly(
                    Arrays.stream(out.get(b).tokenIds()).boxed().toArray(Integer[]::new));
        }
        assertThat(finishes).containsExactly(FinishReason.LENGTH, FinishReason.LENGTH);
    }

    @Test
    void aCancelledCallStopsBeforeTheNextStep() {
        AtomicInteger tokens = new AtomicInteger();
        GenerationObserver cancelAfterThree = new GenerationObserver() {
            @Override
            public boolean cancelled() {
                return tokens.get() >= 3;
            }

            @Override
            public void token(int sequence, int tokenId, float logprob, FinishReason finish) {
                tokens.incrementAndGet();
            }
        };

        assertThatThrownBy(() -> generator.generate(List.of(PROMPT), SamplingParams.greedy(TOKENS),
                new long[] {0}, Set.of(), StopCondition.NONE, cancelAfterThree))
                .isInstanceOf(GenerationCancelledException.class)
                .hasMessageContaining("after 3 tokens");
        assertThat(tokens).hasValue(3);
    }

    private static Generation alone(SamplingParams params) {
        return generator.generate(List.of(PROMPT), params, Set.of(), StopCondition.NONE).get(0);
    }

    /** Row t: the logits that predicted generated[t], from one pass over prompt + generated. */
    private static float[][] teacherForcedLogits(int[] generated) {
        int[] ids = new int[PROMPT.length + generated.length];
        System.arraycopy(PROMPT, 0, ids, 0, PROMPT.length);
        System.arraycopy(generated, 0, ids, PROMPT.length, generated.length);
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        float[] flat;
        try (NDManager step = model.newStepManager()) {
            flat = model.forward(step, new int[][] {ids}, new int[][] {mask}, null, false, false)
                    .toFloatArray();
        }
        int vocab = model.config().vocabSize();
        float[][] rows = new float[generated.length][];
        for (int t = 0; t < generated.length; t++) {
            int from = (PROMPT.length - 1 + t) * vocab;
            rows[t] = Arrays.copyOfRange(flat, from, from + vocab);
        }
        return rows;
    }

    private static long countGreater(float[] row, float value) {
        long n = 0;
        for (float x : row) {
            n += x > value ? 1 : 0;
        }
        return n;
    }

    /** log_softmax(row / temperature)[token], in doubles. */
    private static float logSoftmax(float[] row, double temperature, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : row) {
            max = Math.max(max, x / temperature);
        }
        double sum = 0;
        for (float x : row) {
            sum += Math.exp(x / temperature - max);
        }
        return (float) (row[token] / temperature - max - Math.log(sum));
    }
}
