package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.schemas.PromptTask;

import java.util.List;

/**
 * The prompts whose completion is what the reward-service scores: persona A's final resolution
 * of an agreed negotiation, and the single agent's answer to the dilemma.
 */
public final class ClosingPrompts {

    private final PromptTemplates templates;

    public ClosingPrompts(PromptTemplates templates) {
        this.templates = templates;
    }

    /**
     * Persona A, under its own system prompt, asked for the resolution with the scenario, both
     * personas and the whole dialogue in view.
     */
    public List<Message> resolution(Dialogue dialogue) {
        PromptTask task = dialogue.task();
        return List.of(
                Message.system(templates.personaSystem().fill(TaskText.of(task, Speaker.A))),
                Message.user(templates.resolution().fill(TaskText.of(task, dialogue.turns()))));
    }

    /** The dilemma put to a single agent. */
    public List<Message> answer(PromptTask task) {
        return List.of(Message.system(templates.answerSystem().fill(TaskText.of(task))),
                Message.user(templates.answer().fill(TaskText.of(task))));
    }
}
