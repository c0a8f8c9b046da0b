package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

/**
 * Groups sampled by the real test model (no stand-in for the policy): token-in/token-out,
 * segments, agreement, single mode, reproducibility, context limits. The agreement check is a
 * scripted rule so that both agreed and failed negotiations occur with random weights.
 */
class SelfPlayTest {

    private static final NegotiationSettings SETTINGS = new NegotiationSettings(4, 3, 2,
            new TurnSampling(0.7, 0.95, 12), new TurnSampling(0.1, 0.95, 12),
            new TurnSampling(1.0, 1.0, 12), 3, 1, false);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"),
            ZoneOffset.UTC);
    /** Agrees on about a third of the checks, decided by the last turn's text. */
    private static final AgreementCheck SCRIPTED = dialogues -> dialogues.stream()
            .map(d -> new AgreementVerdict(Math.floorMod(last(d).hashCode(), 3) == 0, "rule"))
            .toList();
    private static final List<PromptTask> TASKS = List.of(
            TestTasks.task("n1", TaskMode.NEGOTIATION, 11),
            TestTasks.task("n2", TaskMode.NEGOTIATION, 12),
            TestTasks.task("s1", TaskMode.SINGLE, 13));

    private static Policy policy;
    private static List<RolloutGroup> groups;

    @BeforeAll
    static void rollout() {
        policy = Policy.load(TestTasks.MODEL);
        groups = selfPlay(SETTINGS, SCRIPTED).rollout(TASKS, 5);
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void eachTaskGetsAGroupOfGWithItsVersionIdsAndModel() {
        assertThat(groups).extracting(RolloutGroup::getGroupId)
                .containsExactly("n1-g", "n2-g", "s1-g");
        for (RolloutGroup group : groups) {
            assertThat(group.getModel()).isEqualTo("qwen2-tiny-random");
            assertThat(group.getCreatedAt()).isEqualTo(CLOCK.instant());
            assertThat(group.getTrajectories()).hasSize(4)
                    .allSatisfy(t -> assertThat(t.getPolicyVersion()).isEqualTo(5))
                    .extracting(Trajectory::getTrajectoryId).doesNotHaveDuplicates();
        }
    }

    @Test
    void completionLogprobsEqualTeacherForcedRecomputation() {
        turns().forEach(turn -> assertThat(toFloats(turn.getCompletionLogprobs()))
                .as("%s turn %s", turn.getSegment(), turn.getText())
                .containsExactly(TeacherForcing.logprobs(policy.model(),
                        toInts(turn.getPromptTokenIds()), toInts(turn.getCompletionTokenIds()),
                        turn.getTemperature()), within(1e-4f)));
    }

    @Test
    void answerLogprobsAtTemperatureOneEqualTheTokenScorer() {
        groups.get(2).getTrajectories().stream().map(t -> t.getTurns().get(0)).forEach(turn ->
                assertThat(toFloats(turn.getCompletionLogprobs())).containsExactly(
                        TeacherForcing.scorerLogprobs(policy.model(),
                                toInts(turn.getPromptTokenIds()),
                                toInts(turn.getCompletionTokenIds())), within(1e-4f)));
    }

    @Test
    void completionIdsAreWhatTheTextAndFinishReasonSay() {
        turns().forEach(turn -> {
            int[] ids = toInts(turn.getCompletionTokenIds());
            assertThat(ids).hasSize(turn.getCompletionLogprobs().size()).isNotEmpty();
            assertThat(policy.decode(ids)).isEqualTo(turn.getText());
            boolean ended = policy.endOfSequence().contains(ids[ids.length - 1]);
            assertThat(turn.getFinishReason()).isEqualTo(ended ? "stop" : "length");
            if (!ended) {
                assertThat(ids).hasSize(12);
            }
        });
    }

    @Test
    void promptIdsAreTheSpeakersViewOfTheRecordedDialogue() {
        Perspective perspective = new Perspective(TestTasks.compactPrompts(), 2);
        ClosingPrompts closing = new ClosingPrompts(TestTasks.compactPrompts());
        for (RolloutGroup group : groups.subList(0, 2)) {
            for (Trajectory trajectory : group.getTrajectories()) {
                Dialogue dialogue = Dialogue.start(group.getTask());
                for (Turn turn : trajectory.getTurns()) {
                    int[] expected = policy.encodeChat(turn.getSegment() == Segment.RESOLUTION
                            ? closing.resolution(dialogue) : perspective.messages(dialogue));
                    assertThat(toInts(turn.getPromptTokenIds())).containsExactly(expected);
                    dialogue = dialogue.then(turn.getText());
                }
            }
        }
    }

    @Test
    void personaTurnsAlternateAndAResolutionFollowsExactlyTheAgreements() {
        List<Trajectory> negotiations = Stream.of(groups.get(0), groups.get(1))
                .flatMap(g -> g.getTrajectories().stream()).toList();
        for (Trajectory t : negotiations) {
            List<Segment> segments = t.getTurns().stream().map(Turn::getSegment).toList();
            List<Segment> persona = segments.subList(0, t.getRounds());
            for (int i = 0; i < persona.size(); i++) {
                assertThat(persona.get(i)).isEqualTo(i % 2 == 0 ? Segment.PERSONA_A
                        : Segment.PERSONA_B);
            }
            assertThat(segments).hasSize(t.getRounds() + (t.getAgreementReached() ? 1 : 0));
            if (t.getAgreementReached()) {
                assertThat(segments.get(segments.size() - 1)).isEqualTo(Segment.RESOLUTION);
                assertThat(t.getResolution()).isEqualTo(last(t).getText());
                assertThat(t.getFailed()).isFalse();
                assertThat(t.getRounds()).isBetween(1, 3);
            } else {
                assertThat(t.getRounds()).isEqualTo(3);
                assertThat(t.getFailed()).isTrue();
                assertThat(t.getResolution()).isNull();
            }
        }
        assertThat(negotiations).extracting(Trajectory::getAgreementReached)
                .as("both outcomes occur").contains(true, false);
    }

    @Test
    void underTheEvaluationProtocolEveryDialogueIsResolvedAgreedOrNot() {
        List<RolloutGroup> resolved = selfPlay(SETTINGS.resolvingAlways(), SCRIPTED)
                .rollout(TASKS.subList(0, 2), 5);
        List<Trajectory> negotiations = resolved.stream()
                .flatMap(g -> g.getTrajectories().stream()).toList();
        assertThat(negotiations).allSatisfy(t -> {
            assertThat(last(t).getSegment()).isEqualTo(Segment.RESOLUTION);
            assertThat(t.getResolution()).isEqualTo(last(t).getText());
            assertThat(t.getFailed()).isFalse();
        });
        assertThat(negotiations).extracting(Trajectory::getAgreementReached)
                .as("unagreed dialogues are resolved too").contains(true, false);
    }

    @Test
    void turnsRecordTheirSampling() {
        Trajectory t = groups.get(0).getTrajectories().get(0);
        assertThat(t.getTurns().get(0).getTemperature()).isEqualTo(0.7f);
        assertThat(t.getTurns().get(0).getTopP()).isEqualTo(0.95f);
        groups.stream().flatMap(g -> g.getTrajectories().stream())
                .filter(Trajectory::getAgreementReached)
                .forEach(a -> assertThat(last(a).getTemperature()).isEqualTo(0.1f));
    }

    @Test
    void singleModeHasExactlyOneAnswerTurn() {
        for (Trajectory t : groups.get(2).getTrajectories()) {
            assertThat(t.getTurns()).extracting(Turn::getSegment).containsExactly(Segment.ANSWER);
            assertThat(t.getResolution()).isEqualTo(t.getTurns().get(0).getText());
            assertThat(t.getFailed()).isFalse();
            assertThat(t.getAgreementReached()).isFalse();
            assertThat(t.getRounds()).isZero();
        }
    }

    /**
     * Token ids, text and every other field repeat exactly; log-probs to float rounding, since
     * the Java decoder's sums may round differently once its kernels are compiled.
     */
    @Test
    void sameTasksAndSeedsGiveTheSameGroups() {
        List<RolloutGroup> again = selfPlay(SETTINGS, SCRIPTED).rollout(TASKS, 5);

        assertThat(again.stream().map(SelfPlayTest::withoutLogprobs))
                .containsExactlyElementsOf(groups.stream().map(SelfPlayTest::withoutLogprobs)
                        .toList());
        assertThat(toFloats(logprobs(again))).containsExactly(toFloats(logprobs(groups)),
                within(1e-4f));
    }

    @Test
    void aGroupDoesNotDependOnWhatSharesItsBatches() {
        RolloutGroup alone = selfPlay(SETTINGS, SCRIPTED).rollout(List.of(TASKS.get(1)), 5)
                .get(0);

        assertThat(completionIds(alone)).isEqualTo(completionIds(groups.get(1)));
    }

    @Test
    void aTaskWhoseFirstPromptCannotFitIsRefusedWithTheTokenCounts() {
        SelfPlay shipped = SelfPlay.builder().setPolicy(policy).setModelName("m")
                .optSettings(SETTINGS).optAgreementCheck(SCRIPTED).build();
        PromptTask task = TestTasks.task("long", TaskMode.NEGOTIATION, 1);

        assertThatThrownBy(() -> shipped.rollout(List.of(TASKS.get(0), task), 1))
                .isInstanceOf(TaskTooLongException.class)
                .hasMessageMatching("task n1: first prompt of \\d+ tokens \\+ 12 new tokens"
                        + " exceeds the model's 256 positions")
                .extracting(e -> ((TaskTooLongException) e).taskId()).isEqualTo("n1");
    }

    @Test
    void aTurnThatWouldOverflowTheContextEndsTheDialogueFailed() {
        PromptTask task = TASKS.get(0);
        int firstPrompt = policy.encodeChat(new Perspective(TestTasks.compactPrompts(), 0)
                .messages(Dialogue.start(task))).length;
        TurnSampling fillsTheContext = new TurnSampling(0.7, 0.95, 256 - firstPrompt);
        NegotiationSettings settings = new NegotiationSettings(2, 3, 0, fillsTheContext,
                fillsTheContext, fillsTheContext, 3, 1, false);

        RolloutGroup group = selfPlay(settings, SCRIPTED).rollout(List.of(task), 1).get(0);

        assertThat(group.getTrajectories()).allSatisfy(t -> {
            assertThat(t.getRounds()).isEqualTo(1);
            assertThat(t.getFailed()).isTrue();
            assertThat(t.getResolution()).isNull();
        });
    }

    @Test
    void thePolicyAsJudgeGivesOneVerdictPerDialogueFromItsAnswer() {
        Dialogue dialogue = Dialogue.start(TASKS.get(0)).then("Share the water.").then("Yes.");
        List<Dialogue> dialogues = List.of(dialogue, dialogue.then("Fine."), dialogue);

        List<AgreementVerdict> verdicts = new PolicyAgreementCheck(policy,
                TestTasks.compactPrompts(), 2, 3).check(dialogues);

        assertThat(verdicts).hasSize(3).allSatisfy(v -> assertThat(v.agreed())
                .isEqualTo(YesNoAnswer.parse(v.evidence()).orElse(false)));
        assertThat(verdicts.get(2)).isEqualTo(verdicts.get(0));
    }

    @Test
    void aRolloutWithThePolicyAsJudgeKeepsTheTrajectoryInvariants() {
        SelfPlay selfPlay = SelfPlay.builder().setPolicy(policy)
                .setModelName(ModelName.of(TestTasks.MODEL)).optSettings(SETTINGS)
                .optTemplates(TestTasks.compactPrompts()).build();

        RolloutGroup group = selfPlay.rollout(List.of(TASKS.get(0)), 2).get(0);

        assertThat(group.getModel()).isEqualTo("qwen2-tiny-random");
        assertThat(group.getTrajectories()).allSatisfy(t ->
                assertThat(t.getFailed()).isEqualTo(!t.getAgreementReached()));
    }

    private static SelfPlay selfPlay(NegotiationSettings settings, AgreementCheck check) {
        return SelfPlay.builder().setPolicy(policy).setModelName("qwen2-tiny-random")
                .optSettings(settings).optTemplates(TestTasks.compactPrompts())
                .optAgreementCheck(check).optClock(CLOCK).build();
    }

    private static Stream<Turn> turns() {
        return groups.stream().flatMap(g -> g.getTrajectories().stream())
                .flatMap(t -> t.getTurns().stream());
    }

    private static RolloutGroup withoutLogprobs(RolloutGroup group) {
        RolloutGroup copy = RolloutGroup.newBuilder(group).build();
        copy.getTrajectories().forEach(t -> t.getTurns()
                .forEach(turn -> turn.setCompletionLogprobs(List.of())));
        return copy;
    }

    private static List<Float> logprobs(List<RolloutGroup> groups) {
        return groups.stream().flatMap(g -> g.getTrajectories().stream())
                .flatMap(t -> t.getTurns().stream())
                .flatMap(turn -> turn.getCompletionLogprobs().stream()).toList();
    }

    private static List<List<Integer>> completionIds(RolloutGroup group) {
        return group.getTrajectories().stream().flatMap(t -> t.getTurns().stream())
                .map(Turn::getCompletionTokenIds).toList();
    }

    private static String last(Dialogue dialogue) {
        return dialogue.turns().get(dialogue.turns().size() - 1).text();
    }

    private static Turn last(Trajectory trajectory) {
        return trajectory.getTurns().get(trajectory.getTurns().size() - 1);
    }

    private static int[] toInts(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] toFloats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
