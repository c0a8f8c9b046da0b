package ai.collectiveagency.policy.reasoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.reasoning.ReasoningSchedule.State;
import ai.collectiveagency.policy.reasoning.ReasoningSchedule.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.Set;

/** The Asynchronous Reasoning state machine, driven by scripted token ids and yes/no logits. */
class ReasoningScheduleTest {

    private static final int WORD = 5;
    private static final int PARAGRAPH = 13;     // e.g. ".\n\n"
    private static final int PARAGRAPH_2 = 271;  // e.g. "\n\n"
    private static final int END_OF_THOUGHTS = 151668;
    private static final int END_OF_SEQUENCE = 151645;
    private static final Vocabulary VOCABULARY =
            new Vocabulary(Set.of(PARAGRAPH, PARAGRAPH_2), Set.of(END_OF_THOUGHTS),
                    Set.of(END_OF_SEQUENCE));

    private static ReasoningSchedule thinkerWords(ReasoningSchedule schedule, int count) {
        for (int i = 0; i < count; i++) {
            schedule = schedule.afterThinkerToken(WORD);
        }
        return schedule;
    }

    @Test
    void startsWithTheThinkerAloneAndChecksEveryTwentyThinkerTokens() {
        ReasoningSchedule schedule = ReasoningSchedule.start(VOCABULARY);
        assertThat(schedule.state()).isEqualTo(State.THINKER_ONLY);
        assertThat(schedule.thinkerRuns()).isTrue();
        assertThat(schedule.writerRuns()).isFalse();

        schedule = thinkerWords(schedule, 19);
        assertThat(schedule.needsCheck()).isFalse();
        schedule = schedule.afterThinkerToken(WORD);
        assertThat(schedule.needsCheck()).isTrue();
        assertThat(schedule.thinkerRuns()).isFalse();
        assertThat(schedule.writerRuns()).isFalse();

        schedule = schedule.answer(-1.0f, 2.0f);   // no
        assertThat(schedule.state()).isEqualTo(State.THINKER_ONLY);
        schedule = thinkerWords(schedule, 19);
        assertThat(schedule.needsCheck()).isFalse();
        assertThat(schedule.afterThinkerToken(WORD).needsCheck()).isTrue();
    }

    @Test
    void checksAtAThinkerParagraphEndAndCountsAfreshFromThere() {
        ReasoningSchedule schedule = thinkerWords(ReasoningSchedule.start(VOCABULARY), 7)
                .afterThinkerToken(PARAGRAPH_2);
        assertThat(schedule.needsCheck()).isTrue();

        schedule = thinkerWords(schedule.answer(0.0f, 1.0f), 19);
        assertThat(schedule.needsCheck()).isFalse();
        assertThat(schedule.afterThinkerToken(WORD).needsCheck()).isTrue();
    }

    @Test
    void yesStartsTheWriterAndNoKeepsItWaiting() {
        ReasoningSchedule asked = thinkerWords(ReasoningSchedule.start(VOCABULARY), 20);

        ReasoningSchedule no = asked.answer(0.5f, 3.0f);
        assertThat(no.state()).isEqualTo(State.THINKER_ONLY);
        assertThat(no.writerRuns()).isFalse();
        assertThatThrownBy(() -> no.afterWriterToken(WORD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writer may not step");

        assertThat(asked.answer(1.0f, 1.0f).state())
                .as("a tie is not P(yes) > P(no)").isEqualTo(State.THINKER_ONLY);

        ReasoningSchedule yes = asked.answer(3.0f, 0.5f);
        assertThat(yes.state()).isEqualTo(State.THINKER_AND_WRITER);
        assertThat(yes.thinkerRuns()).isTrue();
        assertThat(yes.writerRuns()).isTrue();

        // both step; the next check comes after 20 more thinker tokens, and no stops the writer
        ReasoningSchedule running = yes;
        for (int i = 0; i < 19; i++) {
            running = running.afterWriterToken(WORD).afterThinkerToken(WORD);
        }
        assertThat(running.state()).isEqualTo(State.THINKER_AND_WRITER);
        ReasoningSchedule askedAgain = running.afterWriterToken(WORD).afterThinkerToken(WORD);
        assertThat(askedAgain.needsCheck()).isTrue();
        assertThat(askedAgain.writerRuns()).isFalse();
        assertThat(askedAgain.answer(2.0f, 1.0f).state()).isEqualTo(State.THINKER_AND_WRITER);
        assertThat(askedAgain.answer(1.0f, 2.0f).state()).isEqualTo(State.THINKER_ONLY);
    }

    @Test
    void theWriterPausesAtItsParagraphEndUntilTheNextCheckSaysYes() {
        ReasoningSchedule writing = thinkerWords(ReasoningSchedule.start(VOCABULARY), 20)
                .answer(2.0f, 0.0f)
                .afterWriterToken(WORD)
                .afterThinkerToken(WORD)
                .afterWriterToken(PARAGRAPH);

        assertThat(writing.state()).isEqualTo(State.THINKER_ONLY);
        assertThat(writing.writerRuns()).isFalse();
        assertThat(writing.thinkerRuns()).isTrue();

        // the thinker's count went on: 1 token before the pause, 19 after, then the check
        ReasoningSchedule asked = thinkerWords(writing, 19);
        assertThat(asked.needsCheck()).isTrue();
        assertThat(asked.answer(2.0f, 0.0f).writerRuns()).isTrue();
    }

    @Test
    void aThinkerClosingItsThoughtsHandsOverToTheWriterAloneUntilItEnds() {
        ReasoningSchedule handedOver = thinkerWords(ReasoningSchedule.start(VOCABULARY), 3)
                .afterThinkerToken(END_OF_THOUGHTS);
        assertThat(handedOver.state()).isEqualTo(State.WRITER_ONLY);
        assertThat(handedOver.needsCheck()).isFalse();
        assertThat(handedOver.thinkerRuns()).isFalse();
        assertThat(handedOver.writerRuns()).isTrue();
        assertThatThrownBy(() -> handedOver.afterThinkerToken(WORD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("thinker may not step");

        // paragraph ends no longer pause the writer: nothing is left to wait for
        ReasoningSchedule writing = handedOver.afterWriterToken(WORD).afterWriterToken(PARAGRAPH);
        for (int i = 0; i < 30; i++) {
            writing = writing.afterWriterToken(WORD);
        }
        assertThat(writing.state()).isEqualTo(State.WRITER_ONLY);
        assertThat(writing.needsCheck()).isFalse();

        ReasoningSchedule done = writing.afterWriterToken(END_OF_SEQUENCE);
        assertThat(done.done()).isTrue();
        assertThat(done.thinkerRuns()).isFalse();
        assertThat(done.writerRuns()).isFalse();
        assertThatThrownBy(() -> done.afterWriterToken(WORD))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theThinkerMayCloseItsThoughtsWhileTheWriterWrites() {
        ReasoningSchedule schedule = thinkerWords(ReasoningSchedule.start(VOCABULARY), 20)
                .answer(1.0f, 0.0f)
                .afterWriterToken(WORD)
                .afterThinkerToken(END_OF_THOUGHTS);
        assertThat(schedule.state()).isEqualTo(State.WRITER_ONLY);
        assertThat(schedule.afterWriterToken(END_OF_SEQUENCE).done()).isTrue();
    }

    @Test
    void refusesBadInputsWithClearMessages() {
        ReasoningSchedule start = ReasoningSchedule.start(VOCABULARY);
        assertThatThrownBy(() -> start.answer(1.0f, 0.0f))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no check is pending");
        assertThatThrownBy(() -> start.afterWriterToken(WORD))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("THINKER_ONLY");
        assertThatThrownBy(() -> start.afterThinkerToken(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");

        ReasoningSchedule asked = thinkerWords(start, 20);
        assertThatThrownBy(() -> asked.afterThinkerToken(WORD))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call answer first");
        assertThatThrownBy(() -> asked.answer(Float.NaN, 0.0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> asked.answer(0.0f, Float.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");

        assertThatThrownBy(() -> new Vocabulary(Set.of(PARAGRAPH), Set.of(), Set.of(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end id");
        assertThatThrownBy(() -> new Vocabulary(Set.of(END_OF_THOUGHTS), Set.of(END_OF_THOUGHTS),
                Set.of(END_OF_SEQUENCE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("paragraphEndIds");
        assertThatThrownBy(() -> new Vocabulary(Set.of(PARAGRAPH), Set.of(END_OF_THOUGHTS),
                Set.of(END_OF_SEQUENCE), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkInterval");
        assertThatThrownBy(() -> new Vocabulary(Set.of(-3), Set.of(END_OF_THOUGHTS),
                Set.of(END_OF_SEQUENCE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("paragraphEndIds");
        assertThatThrownBy(() -> new ReasoningSchedule(VOCABULARY, State.WRITER_ONLY, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no check");
    }

    @Test
    void oneIdMayEndBothStreamsEachInItsOwnRole() {
        Vocabulary shared = new Vocabulary(Set.of(PARAGRAPH), Set.of(END_OF_SEQUENCE),
                Set.of(END_OF_SEQUENCE));
        ReasoningSchedule writing = thinkerWords(ReasoningSchedule.start(shared), 20)
                .answer(1.0f, 0.0f)
                .afterThinkerToken(END_OF_SEQUENCE);
        assertThat(writing.state()).as("the thinker's end closes thoughts only")
                .isEqualTo(State.WRITER_ONLY);
        assertThat(writing.afterWriterToken(END_OF_SEQUENCE).done()).isTrue();
    }

    @Test
    void spentBudgetsCloseTheThoughtsAndEndTheResponse() {
        ReasoningSchedule asked = thinkerWords(ReasoningSchedule.start(VOCABULARY), 20);
        ReasoningSchedule closed = asked.closeThoughts();
        assertThat(closed.state()).isEqualTo(State.WRITER_ONLY);
        assertThat(closed.needsCheck()).as("a pending check is dropped").isFalse();
        assertThat(closed.endResponse().done()).isTrue();
        assertThat(closed.endResponse().closeThoughts().done()).isTrue();
    }

    @Test
    void aShorterCheckIntervalIsHonoured() {
        Vocabulary everyThree = new Vocabulary(Set.of(PARAGRAPH), Set.of(END_OF_THOUGHTS),
                Set.of(END_OF_SEQUENCE), 3);
        ReasoningSchedule schedule = thinkerWords(ReasoningSchedule.start(everyThree), 2);
        assertThat(schedule.needsCheck()).isFalse();
        assertThat(schedule.afterThinkerToken(WORD).needsCheck()).isTrue();
    }
}
