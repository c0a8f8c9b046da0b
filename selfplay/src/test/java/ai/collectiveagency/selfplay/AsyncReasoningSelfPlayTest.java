package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Self-play under {@code rollout.reasoning=async} on the real test model: each persona thinks in
 * the call of the other's turn, its thoughts are a segment of their own just before its next
 * turn, and that turn's prompt carries their token ids. Nobody agrees, so every negotiation runs
 * its T turns and both runs make the same calls.
 */
class AsyncReasoningSelfPlayTest {

    private static final int TURNS = 4;
    private static final int THOUGHT_TOKENS = 8;
    private static final NegotiationSettings OFF = new NegotiationSettings(2, TURNS, 2,
            new TurnSampling(0.7, 0.95, 12), new TurnSampling(0.1, 0.95, 12),
            new TurnSampling(1.0, 1.0, 12), 3, 1, true);
    private static final NegotiationSettings ASYNC =
            OFF.withReasoning(Reasoning.async(THOUGHT_TOKENS));
    private static final AgreementCheck NEVER = dialogues -> dialogues.stream()
            .map(d -> new AgreementVerdict(false, "never")).toList();
    private static final List<PromptTask> TASKS = List.of(
            TestTasks.task("n1", TaskMode.NEGOTIATION, 21),
            TestTasks.task("n2", TaskMode.NEGOTIATION, 22));

    private static Policy policy;
    private static CountingEngine asyncCalls;
    private static List<RolloutGroup> groups;

    @BeforeAll
    static void rollout() {
        policy = Policy.load(TestTasks.MODEL);
        asyncCalls = new CountingEngine(GenerationEngine.local(policy));
        groups = selfPlay(ASYNC, asyncCalls).rollout(TASKS, 3);
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void everyPersonaTurnAfterTheFirstIsPrecededByThatPersonasThoughts() {
        assertThat(trajectories()).allSatisfy(t -> assertThat(t.getTurns())
                .extracting(Turn::getSegment).containsExactly(Segment.PERSONA_A,
                        Segment.THOUGHTS_B, Segment.PERSONA_B, Segment.THOUGHTS_A,
                        Segment.PERSONA_A, Segment.THOUGHTS_B, Segment.PERSONA_B,
                        Segment.RESOLUTION));
        assertThat(trajectories()).allSatisfy(t -> assertThat(t.getRounds()).isEqualTo(TURNS));
    }

    @Test
    void thinkingAddsRowsToEachTurnsCallButNoCall() {
        CountingEngine offCalls = new CountingEngine(GenerationEngine.local(policy));
        selfPlay(OFF, offCalls).rollout(TASKS, 3);

        // 2 tasks x G 2 = 4 trajectories: T turns, then the resolutions.
        assertThat(offCalls.rowsPerCall).containsExactly(4, 4, 4, 4, 4);
        // Each turn but the last also holds the 4 listeners' thinkers.
        assertThat(asyncCalls.rowsPerCall).containsExactly(8, 8, 8, 4, 4);
    }

    @Test
    void aThinkersPromptIsItsViewBeforeTheOthersTurnAndTheThoughtsPrompt() {
        Perspective perspective = new Perspective(TestTasks.compactPrompts(), 2);
        forEachThoughts((dialogueBefore, dialogue, thoughts, next) -> {
            assertThat(ints(thoughts.getPromptTokenIds())).containsExactly(
                    policy.encodeChat(perspective.thinking(dialogueBefore)));
            assertThat(policy.decodeWithSpecialTokens(ints(thoughts.getPromptTokenIds())))
                    .contains("Think as " + (thoughts.getSegment() == Segment.THOUGHTS_A
                            ? "Ana" : "Benedikt") + ": what next?");
        });
    }

    @Test
    void thoughtsTokenIdsOpenTheNextTurnOfTheirPersona() {
        Perspective perspective = new Perspective(TestTasks.compactPrompts(), 2);
        forEachThoughts((dialogueBefore, dialogue, thoughts, next) -> {
            int[] expected = concat(policy.encodeChat(perspective.messages(dialogue)),
                    policy.encodeWithoutSpecialTokens("<think>"),
                    withoutEnd(ints(thoughts.getCompletionTokenIds())),
                    policy.encodeWithoutSpecialTokens("</think>\n"));
            assertThat(ints(next.getPromptTokenIds())).containsExactly(expected);
        });
    }

    @Test
    void thoughtsKeepTheirOwnBudgetAndSamplingLogprobs() {
        List<Turn> thoughts = trajectories().flatMap(t -> t.getTurns().stream())
                .filter(turn -> turn.getSegment().name().startsWith("THOUGHTS")).toList();
        assertThat(thoughts).hasSize(4 * 3).allSatisfy(turn -> {
            int[] ids = ints(turn.getCompletionTokenIds());
            assertThat(ids.length).isBetween(1, THOUGHT_TOKENS);
            assertThat(turn.getFinishReason()).isEqualTo(
                    ids.length == THOUGHT_TOKENS
                            && !policy.endOfSequence().contains(ids[ids.length - 1])
                            ? "length" : "stop");
            assertThat(turn.getTemperature()).isEqualTo(0.7f);
            assertThat(policy.decode(ids)).isEqualTo(turn.getText());
            assertThat(floats(turn.getCompletionLogprobs())).containsExactly(
                    TeacherForcing.logprobs(policy.model(), ints(turn.getPromptTokenIds()), ids,
                            turn.getTemperature()), within(1e-4f));
        });
        assertThat(thoughts).as("the budget cuts some thoughts")
                .anySatisfy(turn -> assertThat(turn.getFinishReason()).isEqualTo("length"));
    }

    @Test
    void aRowCutToItsBudgetIsWhatThatBudgetGivesAlone() {
        GenerationEngine local = GenerationEngine.local(policy);
        int[] prompt = policy.encode("The river is low this year");
        long[] seed = {SequenceSeeds.thoughts(21, 0, 1)};

        Generation cut = local.generate(List.of(prompt, prompt), new SamplingParams(12, 0.7,
                0.95, 0, 0), new int[] {5, 12}, new long[] {seed[0], seed[0]}).get(0);
        Generation alone = local.generate(List.of(prompt), new SamplingParams(5, 0.7, 0.95, 0,
                0), seed).get(0);

        assertThat(cut.tokenIds()).containsExactly(alone.tokenIds());
        assertThat(cut.logprobs()).containsExactly(alone.logprobs(), within(1e-5f));
        assertThat(cut.finishReason()).isEqualTo(alone.finishReason());
    }

    @Test
    void aGroupDoesNotDependOnWhatSharesItsBatches() {
        RolloutGroup alone = selfPlay(ASYNC, GenerationEngine.local(policy))
                .rollout(List.of(TASKS.get(1)), 3).get(0);

        assertThat(completionIds(alone)).isEqualTo(completionIds(groups.get(1)));
    }

    @Test
    void reasoningIsOffByDefaultAndThenNoTrajectoryThinks() {
        assertThat(NegotiationSettings.defaults().reasoning()).isEqualTo(Reasoning.off());

        List<RolloutGroup> plain = selfPlay(OFF, GenerationEngine.local(policy))
                .rollout(TASKS, 3);

        assertThat(plain.stream().flatMap(g -> g.getTrajectories().stream())
                .flatMap(t -> t.getTurns().stream()).map(Turn::getSegment))
                .doesNotContain(Segment.THOUGHTS_A, Segment.THOUGHTS_B);
    }

    /**
     * Each thoughts turn with the dialogue before the other's turn it was sampled beside, the
     * dialogue after that turn, and the turn that follows it.
     */
    private static void forEachThoughts(ThoughtsCheck check) {
        for (RolloutGroup group : groups) {
            for (Trajectory trajectory : group.getTrajectories()) {
                List<Turn> turns = trajectory.getTurns();
                Dialogue dialogue = Dialogue.start(group.getTask());
                for (int i = 0; i < turns.size() - 1; i++) {
                    Turn turn = turns.get(i);
                    if (turn.getSegment().name().startsWith("THOUGHTS")) {
                        Dialogue before = new Dialogue(group.getTask(), dialogue.turns()
                                .subList(0, dialogue.turns().size() - 1));
                        check.accept(before, dialogue, turn, turns.get(i + 1));
                    } else if (turn.getSegment() != Segment.RESOLUTION) {
                        dialogue = dialogue.then(turn.getText());
                    }
                }
            }
        }
    }

    private interface ThoughtsCheck {
        void accept(Dialogue before, Dialogue after, Turn thoughts, Turn next);
    }

    private static SelfPlay selfPlay(NegotiationSettings settings, GenerationEngine engine) {
        return SelfPlay.builder().setPolicy(policy).setModelName("qwen2-tiny-random")
                .optEngine(engine).optSettings(settings)
                .optTemplates(TestTasks.compactPrompts()).optAgreementCheck(NEVER).build();
    }

    /** Counts the rows of every call, which it passes to the engine it wraps. */
    private static final class CountingEngine implements GenerationEngine {

        private final GenerationEngine inner;
        private final List<Integer> rowsPerCall = new ArrayList<>();

        CountingEngine(GenerationEngine inner) {
            this.inner = inner;
        }

        @Override
        public List<Generation> generate(List<int[]> prompts, SamplingParams params,
                long[] seeds) {
            rowsPerCall.add(prompts.size());
            return inner.generate(prompts, params, seeds);
        }
    }

    private static Stream<Trajectory> trajectories() {
        return groups.stream().flatMap(g -> g.getTrajectories().stream());
    }

    private static List<List<Integer>> completionIds(RolloutGroup group) {
        return group.getTrajectories().stream().flatMap(t -> t.getTurns().stream())
                .map(Turn::getCompletionTokenIds).toList();
    }

    private static int[] withoutEnd(int[] ids) {
        int length = ids.length;
        while (length > 0 && policy.endOfSequence().contains(ids[length - 1])) {
            length--;
        }
        return Arrays.copyOf(ids, length);
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
