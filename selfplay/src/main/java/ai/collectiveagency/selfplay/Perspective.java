package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.schemas.PromptTask;

import java.util.ArrayList;
import java.util.List;

/**
 * The conversation one side sees before it speaks: its system prompt, then the dialogue from its
 * own point of view, its own turns as {@code assistant} and the other side's as {@code user}.
 *
 * <p>With a context window of k turns (k &gt; 0) only the last k turns appear. Chat templates
 * expect a {@code user} message after the system prompt, so when the visible turns would open
 * with the speaker's own turn (or there are none), a user line comes first: the
 * {@code opening} prompt when nothing was cut (persona A at the start), else the
 * {@code continued} prompt that says earlier turns are not shown.
 */
public final class Perspective {

    private final PromptTemplates templates;
    private final int contextTurns;

    /**
     * @param contextTurns how many of the latest turns each side sees; 0 shows the whole dialogue
     */
    public Perspective(PromptTemplates templates, int contextTurns) {
        if (contextTurns < 0) {
            throw new IllegalArgumentException("context turns must be >= 0, got "
                    + contextTurns);
        }
        this.templates = templates;
        this.contextTurns = contextTurns;
    }

    /** The system prompt of {@code side}: its persona, the scenario, the rules. */
    public String systemPrompt(PromptTask task, Speaker side) {
        return templates.personaSystem().fill(TaskText.of(task, side));
    }

    /** The messages the next speaker of {@code dialogue} answers. */
    public List<Message> messages(Dialogue dialogue) {
        Speaker self = dialogue.nextSpeaker();
        List<DialogueTurn> visible = dialogue.lastTurns(contextTurns);
        List<Message> messages = new ArrayList<>();
        messages.add(Message.system(systemPrompt(dialogue.task(), self)));
        if (visible.isEmpty() || visible.get(0).speaker() == self) {
            messages.add(lead(dialogue, visible, self));
        }
        addTurns(messages, visible, self);
        return messages;
    }

    /**
     * The messages the thinker of {@code dialogue}'s listener (the side that does not speak next)
     * continues while the other side's turn is generated: the listener's own view of the turns so
     * far, then the {@code thoughts} prompt as the last user line. Before any turn the view is
     * its system prompt and that line alone.
     */
    public List<Message> thinking(Dialogue dialogue) {
        Speaker self = dialogue.nextSpeaker().other();
        List<DialogueTurn> visible = dialogue.lastTurns(contextTurns);
        List<Message> messages = new ArrayList<>();
        messages.add(Message.system(systemPrompt(dialogue.task(), self)));
        if (!visible.isEmpty() && visible.get(0).speaker() == self) {
            messages.add(lead(dialogue, visible, self));
        }
        addTurns(messages, visible, self);
        messages.add(Message.user(templates.thoughts().fill(TaskText.of(dialogue.task(), self))));
        return messages;
    }

    /** The user line before turns that open with {@code self}'s own. */
    private Message lead(Dialogue dialogue, List<DialogueTurn> visible, Speaker self) {
        boolean cut = visible.size() < dialogue.turns().size();
        PromptTemplate lead = cut ? templates.continued() : templates.opening();
        return Message.user(lead.fill(TaskText.of(dialogue.task(), self)));
    }

    private static void addTurns(List<Message> messages, List<DialogueTurn> visible,
            Speaker self) {
        for (DialogueTurn turn : visible) {
            messages.add(turn.speaker() == self ? Message.assistant(turn.text())
                    : Message.user(turn.text()));
        }
    }
}
