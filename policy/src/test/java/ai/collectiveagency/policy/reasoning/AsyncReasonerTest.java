package ai.collectiveagency.policy.reasoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaDecoder;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.blocks.BlockDecoder;
import ai.collectiveagency.policy.decode.blocks.PlainDecoding;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.reasoning.ReasoningSettings.Checks;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.tokenizer.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The asynchronous reasoner on the qwen3 fixture (a real tokenizer, chat template and model
 * files), with short prompts that fit its 512 positions. Where the block cache is exact (a
 * one-layer model, or views filled in order), its streams must decode exactly what the plain
 * decoder decodes over the same concatenated text.
 */
class AsyncReasonerTest {

    private static final List<Message> CONVERSATION =
            List.of(Message.user("the river is low: share the water?"));

    @TempDir
    static Path prompts;
    private static Policy policy;
    private static ReasoningText text;

    @BeforeAll
    static void load() throws IOException {
        Files.writeString(prompts.resolve("thinker-system.txt"), "think");
        Files.writeString(prompts.resolve("thinker-response.txt"), "said:");
        Files.writeString(prompts.resolve("thinker-split.txt"), "\nthoughts:");
        Files.writeString(prompts.resolve("writer-system.txt"), "write");
        Files.writeString(prompts.resolve("writer-thoughts.txt"), "thought:");
        Files.writeString(prompts.resolve("writer-split.txt"), "\nsay:");
        Files.writeString(prompts.resolve("question.txt"), "\nahead? Answer:");
        Files.writeString(prompts.resolve("heard.txt"), "\nnews: {text}\n");
        policy = Policy.load(Fixtures.shipped("qwen3-tiny-random"));
        text = ReasoningText.of(policy, AsyncReasoningPrompts.load(prompts));
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    private static AsyncReasoner reasoner(DecodeWeights weights) {
        return new AsyncReasoner(new BlockDecoder(weights, new PanelMatmul(new ParallelRange(1))),
                text);
    }

    @Test
    void promptsAreTheConversationUnderEachStreamsInstructionsAndHeader() {
        ReasoningIds ids = text.ids(CONVERSATION);
        assertThat(policy.decodeWithSpecialTokens(ids.thinkerPrompt()))
                .startsWith("<|im_start|>system\nthink<|im_end|>")
                .contains("the river is low: share the water?")
                .endsWith("said:");
        assertThat(policy.decodeWithSpecialTokens(ids.writerPrompt()))
                .startsWith("<|im_start|>system\nwrite<|im_end|>").endsWith("thought:");
        assertThat(policy.decodeWithSpecialTokens(ids.question())).startsWith("\nahead? Answer:");
        assertThat(ids.yesId()).isNotEqualTo(ids.noId());
        assertThat(ids.vocabulary().endOfSequenceIds()).isEqualTo(policy.endOfSequence());
        assertThat(ids.vocabulary().endOfThoughtsIds())
                .as("no </think> in this vocabulary: the thinker closes with its end of sequence")
                .isEqualTo(policy.endOfSequence());

        List<Message> withSystem = List.of(Message.system("be brief"), CONVERSATION.get(0));
        assertThat(policy.decodeWithSpecialTokens(text.ids(withSystem).writerPrompt()))
                .startsWith("<|im_start|>system\nwrite\n\nbe brief<|im_end|>");
    }

    @Test
    void thinkThenAnswerOnOneLayerDecodesWhatThePlainDecoderDecodesOverEachView() {
        DecodeWeights oneLayer = PlainDecoding.firstLayer(policy.decodeWeights());
        ReasoningIds ids = text.ids(CONVERSATION);
        ReasoningResult result = reasoner(oneLayer).run(CONVERSATION,
                ReasoningSettings.greedy(14, 9).withChecks(Checks.THINK_THEN_ANSWER),
                ReasoningListener.NONE);

        int[] expectedThoughts = greedy(oneLayer, concat(ids.thinkerPrompt(), ids.thinkerSplit()),
                14, ids.vocabulary().endOfThoughtsIds(), false);
        assertThat(result.thoughtIds()).isEqualTo(expectedThoughts);
        assertThat(result.jointSteps()).as("think, then answer").isZero();

        int[] expectedAnswer = greedy(oneLayer, concat(ids.writerPrompt(), result.thoughtIds(),
                ids.writerSplit()), 9, ids.vocabulary().endOfSequenceIds(), true);
        assertThat(result.answerIds()).isEqualTo(expectedAnswer);
        assertThat(result.answerIds().length).isBetween(1, 9);
    }

    @Test
    void theWriterStartsAfterTheFirstYesAndBothStreamsShareSteps() {
        List<String> events = new ArrayList<>();
        ReasoningListener listener = new ReasoningListener() {
            @Override
            public void thought(int id, float logprob) {
                events.add("t");
            }

            @Override
            public void wrote(int id, float logprob) {
                events.add("w");
            }

            @Override
            public void checked(boolean write, float yes, float no) {
                events.add(write ? "yes" : "no");
            }
        };
        ReasoningSettings settings = ReasoningSettings.greedy(30, 40)
                .withChecks(Checks.ALWAYS_WRITE)
                .withForbidden(policy.endOfSequence(), policy.endOfSequence());
        ReasoningResult result = reasoner(policy.decodeWeights()).run(CONVERSATION, settings,
                listener);

        int firstYes = events.indexOf("yes");
        assertThat(firstYes).as("a check comes at the latest after 20 thinker tokens")
                .isBetween(1, 20);
        assertThat(events.subList(0, firstYes)).containsOnly("t");
        assertThat(events.get(firstYes + 1)).as("the writer's first token follows the yes")
                .isEqualTo("w");
        assertThat(events.indexOf("w")).isLessThan(events.lastIndexOf("t"));
        assertThat(result.thoughtIds()).hasSize(30);
        assertThat(result.answerIds()).as("the writer goes on alone after the thoughts")
                .hasSize(40);
        assertThat(events.subList(events.lastIndexOf("t") + 1, events.size())).containsOnly("w");
        assertThat(result.thoughtsClosed()).as("closed by its budget").isFalse();
        assertThat(result.answerStopped()).isFalse();
        assertThat(result.jointSteps()).isPositive();
        assertThat(result.checks()).isEqualTo(result.writeAnswers()).isPositive();
        assertThat(IntStream.of(result.answerIds()).boxed().toList())
                .doesNotContainAnyElementsOf(policy.endOfSequence());
    }

    @Test
    void theModelsOwnAnswerDecidesAndTheWriterNeverRunsBeforeAYes() {
        List<Boolean> answers = new ArrayList<>();
        int[] thoughtsAtFirstWord = {-1};
        int[] thoughts = {0};
        ReasoningResult result = reasoner(policy.decodeWeights()).run(CONVERSATION,
                ReasoningSettings.greedy(45, 10).withForbidden(policy.endOfSequence(), Set.of()),
                new ReasoningListener() {
                    @Override
                    public void thought(int id, float logprob) {
                        thoughts[0]++;
                    }

                    @Override
                    public void wrote(int id, float logprob) {
                        if (thoughtsAtFirstWord[0] < 0) {
                            thoughtsAtFirstWord[0] = thoughts[0];
                        }
                    }

                    @Override
                    public void checked(boolean write, float yes, float no) {
                        assertThat(write).isEqualTo(yes > no);
                        answers.add(write);
                    }
                });
        assertThat(answers).isNotEmpty();
        int firstYes = answers.indexOf(true);
        if (firstYes < 0) {
            assertThat(thoughtsAtFirstWord[0]).as("no yes: the writer waits for all thoughts")
                    .isEqualTo(45);
        } else {
            assertThat(thoughtsAtFirstWord[0]).isLessThan(45);
        }
        assertThat(result.checks()).isEqualTo(answers.size());
        assertThat(result.answerIds()).isNotEmpty();
    }

    @Test
    void heardTextIsABlockTheThinkerReadsOnFromExactlyAsIfItWereInItsText() {
        ReasoningIds ids = text.ids(CONVERSATION);
        int[] heard = text.heard("the dam opens at noon");
        ReasoningSession[] session = new ReasoningSession[1];
        int[] thoughtsBefore = {0};
        ReasoningListener listener = new ReasoningListener() {
            @Override
            public void thought(int id, float logprob) {
                if (++thoughtsBefore[0] == 6) {
                    session[0].hear(heard);
                }
            }
        };
        AsyncReasoner reasoner = reasoner(policy.decodeWeights());
        session[0] = reasoner.open(ids, ReasoningSettings.greedy(16, 4)
                .withChecks(Checks.THINK_THEN_ANSWER)
                .withForbidden(policy.endOfSequence(), Set.of()), listener);
        ReasoningResult result = reasoner.run(session[0], listener);

        // the thinker's view was filled in order, so the block cache is exact at any depth
        int[] thoughts = result.thoughtIds();
        assertThat(thoughts).hasSize(16);
        int[] before = Arrays.copyOf(thoughts, 6);
        int[] context = concat(ids.thinkerPrompt(), ids.thinkerSplit(), before, heard);
        int[] after = greedy(policy.decodeWeights(), context, 10, Set.of(), false);
        assertThat(Arrays.copyOfRange(thoughts, 6, 16)).isEqualTo(after);
    }

    @Test
    void forbiddenTokensAreNeverSampledAndSeedsReproduce() {
        ReasoningIds ids = text.ids(CONVERSATION);
        AsyncReasoner reasoner = reasoner(policy.decodeWeights());
        int greedyFirst = reasoner.run(CONVERSATION, ReasoningSettings.greedy(1, 1)
                .withChecks(Checks.THINK_THEN_ANSWER), ReasoningListener.NONE).thoughtIds()[0];
        ReasoningResult without = reasoner.run(CONVERSATION, ReasoningSettings.greedy(8, 4)
                        .withChecks(Checks.THINK_THEN_ANSWER)
                        .withForbidden(Set.of(greedyFirst), Set.of()),
                ReasoningListener.NONE);
        assertThat(IntStream.of(without.thoughtIds()).boxed().toList())
                .doesNotContain(greedyFirst);

        ReasoningSettings sampled = new ReasoningSettings(30, 12, 1.0, 1.0, 7, Checks.MODEL,
                Set.of(), Set.of());
        ReasoningResult first = reasoner.run(CONVERSATION, sampled, ReasoningListener.NONE);
        ReasoningResult again = reasoner.run(CONVERSATION, sampled, ReasoningListener.NONE);
        assertThat(again.thoughtIds()).isEqualTo(first.thoughtIds());
        assertThat(again.answerIds()).isEqualTo(first.answerIds());
        ReasoningSettings otherSeed = new ReasoningSettings(30, 12, 1.0, 1.0, 8, Checks.MODEL,
                Set.of(), Set.of());
        assertThat(reasoner.run(CONVERSATION, otherSeed, ReasoningListener.NONE).thoughtIds())
                .isNotEqualTo(first.thoughtIds());
        assertThat(ids.thinkerForbidden()).isEmpty();
    }

    @Test
    void aCancelledRunStopsAndRunsThatDoNotFitAreRefused() {
        AsyncReasoner reasoner = reasoner(policy.decodeWeights());
        ReasoningListener cancelled = new ReasoningListener() {
            @Override
            public boolean cancelled() {
                return true;
            }
        };
        assertThatThrownBy(() -> reasoner.run(CONVERSATION, ReasoningSettings.greedy(8, 4),
                cancelled)).isInstanceOf(GenerationCancelledException.class);
        assertThatThrownBy(() -> reasoner.run(CONVERSATION, ReasoningSettings.greedy(400, 200),
                ReasoningListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positions; the model has 512");
        assertThatThrownBy(() -> AsyncReasoningPrompts.load(writeHeardWithout()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{text}");
    }

    private static Path writeHeardWithout() {
        try {
            Path folder = Files.createTempDirectory(prompts, "bad");
            Files.writeString(folder.resolve("heard.txt"), "news");
            return folder;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The plain decoder's greedy continuation of {@code prefix}: at most {@code count} tokens,
     * stopping before an end id (or after it when {@code keepEnd}).
     */
    private static int[] greedy(DecodeWeights weights, int[] prefix, int count, Set<Integer> ends,
            boolean keepEnd) {
        JavaDecoder decoder = new JavaDecoder(weights,
                JavaKvCache.empty(weights.config(), new int[] {0}, prefix.length + count),
                new PanelMatmul(new ParallelRange(1)));
        float[] logits = null;
        for (int token : prefix) {
            logits = decoder.step(new int[] {token});
        }
        List<Integer> out = new ArrayList<>();
        while (out.size() < count) {
            int next = PlainDecoding.argMax(logits, 0, weights.config().vocabSize());
            if (ends.contains(next)) {
                if (keepEnd) {
                    out.add(next);
                }
                break;
            }
            out.add(next);
            logits = decoder.step(new int[] {next});
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }
}
