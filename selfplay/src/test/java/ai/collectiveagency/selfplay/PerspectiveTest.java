package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.tokenizer.ChatTemplate;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.schemas.TaskMode;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Each side sees the dialogue from its own side, through the model's real chat template. */
class PerspectiveTest {

    private static final ChatTemplate CHATML = ChatTemplate.load(TestTasks.MODEL);
    private static final PromptTemplates PROMPTS = TestTasks.compactPrompts();

    private final Dialogue fourTurns = Dialogue.start(TestTasks.task("t", TaskMode.NEGOTIATION, 1))
            .then("A one").then("B two").then("A three").then("B four");

    @Test
    void personaASeesItsTurnsAsAssistantAndBsAsUser() {
        String prompt = render(new Perspective(PROMPTS, 0), fourTurns);

        assertThat(prompt).isEqualTo(system("Ana", "farmer", "growth")
                + turn("user", "Begin.") + turn("assistant", "A one") + turn("user", "B two")
                + turn("assistant", "A three") + turn("user", "B four")
                + "<|im_start|>assistant\n");
    }

    @Test
    void personaBSeesItsTurnsAsAssistantAndAsAsUser() {
        Dialogue threeTurns = Dialogue.start(fourTurns.task()).then("A one").then("B two")
                .then("A three");

        String prompt = render(new Perspective(PROMPTS, 0), threeTurns);

        assertThat(prompt).isEqualTo(system("Benedikt", "village miller", "care")
                + turn("user", "A one") + turn("assistant", "B two") + turn("user", "A three")
                + "<|im_start|>assistant\n");
    }

    @Test
    void withTwoContextTurnsOnlyTheLastTwoAppear() {
        String prompt = render(new Perspective(PROMPTS, 2), fourTurns);

        assertThat(prompt).isEqualTo(system("Ana", "farmer", "growth")
                + turn("user", "Go on.") + turn("assistant", "A three") + turn("user", "B four")
                + "<|im_start|>assistant\n");
        assertThat(prompt).doesNotContain("A one", "B two");
    }

    @Test
    void personaBWithOneContextTurnSeesOnlyAsLastTurn() {
        Dialogue threeTurns = Dialogue.start(fourTurns.task()).then("A one").then("B two")
                .then("A three");

        List<Message> messages = new Perspective(PROMPTS, 1).messages(threeTurns);

        assertThat(messages).extracting(Message::role).containsExactly("system", "user");
        assertThat(messages.get(1).content()).isEqualTo("A three");
    }

    @Test
    void personaAOpensTheDialogueAfterTheOpeningLine() {
        List<Message> messages = new Perspective(PROMPTS, 2).messages(
                Dialogue.start(fourTurns.task()));

        assertThat(messages).extracting(Message::role).containsExactly("system", "user");
        assertThat(messages.get(1).content()).isEqualTo("Begin.");
    }

    @Test
    void theListenersThinkerSeesItsOwnViewThenTheThoughtsLine() {
        Dialogue threeTurns = Dialogue.start(fourTurns.task()).then("A one").then("B two")
                .then("A three");

        String prompt = CHATML.render(new Perspective(PROMPTS, 2).thinking(threeTurns), true);

        // B speaks next, so A thinks: its view of the last two turns, then the thoughts line.
        assertThat(prompt).isEqualTo(system("Ana", "farmer", "growth")
                + turn("user", "B two") + turn("assistant", "A three")
                + turn("user", "Think as Ana: what next?") + "<|im_start|>assistant\n");
    }

    @Test
    void beforeAnyTurnBThinksFromItsSystemPromptAndTheThoughtsLineAlone() {
        List<Message> messages = new Perspective(PROMPTS, 2).thinking(
                Dialogue.start(fourTurns.task()));

        assertThat(messages).extracting(Message::role).containsExactly("system", "user");
        assertThat(messages.get(0).content()).startsWith("You are Benedikt");
        assertThat(messages.get(1).content()).isEqualTo("Think as Benedikt: what next?");
    }

    @Test
    void aThinkerWhoseViewOpensWithItsOwnTurnGetsTheLeadLineFirst() {
        List<Message> messages = new Perspective(PROMPTS, 2).thinking(
                Dialogue.start(fourTurns.task()).then("A one"));

        assertThat(messages).extracting(Message::role)
                .containsExactly("system", "user", "assistant", "user");
        assertThat(messages.get(1).content()).isEqualTo("Begin.");
    }

    @Test
    void sidesMustAlternateStartingWithA() {
        assertThatThrownBy(() -> new Dialogue(fourTurns.task(),
                List.of(new DialogueTurn(Speaker.B, "me first"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turn 0 must be spoken by A");
    }

    private static String render(Perspective perspective, Dialogue dialogue) {
        return CHATML.render(perspective.messages(dialogue), true);
    }

    private static String system(String name, String role, String value) {
        return turn("system", "You are " + name + ", " + role + "; you value " + value
                + ". River: Both farms need the river.");
    }

    private static String turn(String role, String content) {
        return "<|im_start|>" + role + "\n" + content + "<|im_end|>\n";
    }
}
