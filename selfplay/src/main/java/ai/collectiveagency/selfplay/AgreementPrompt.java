package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.tokenizer.Message;

import java.util.List;

/**
 * The conversation that asks whether a dialogue has reached agreement: the {@code agreement}
 * prompts filled with the scenario and the latest turns. The policy answers it when it is its own
 * agreement judge, and a warm-up corpus teaches a small model to answer it.
 *
 * @param contextTurns turns the judge sees (0: all)
 */
public record AgreementPrompt(PromptTemplates templates, int contextTurns) {

    /** The judge's conversation about {@code dialogue}. */
    public List<Message> messages(Dialogue dialogue) {
        var values = TaskText.of(dialogue.task(), dialogue.lastTurns(contextTurns));
        return List.of(Message.system(templates.agreementSystem().fill(values)),
                Message.user(templates.agreement().fill(values)));
    }
}
