package ai.collectiveagency.demo.warmup;

import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.selfplay.AgreementPrompt;
import ai.collectiveagency.selfplay.ClosingPrompts;
import ai.collectiveagency.selfplay.Dialogue;
import ai.collectiveagency.selfplay.Perspective;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.TaskMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns tasks into supervised examples: the exact conversations the rollout-service puts to the
 * policy (each speaker's view of the dialogue, the agreement judge's question, the request for a
 * resolution, the single-agent dilemma), each with the scripted reply as the target. A model
 * trained on them speaks every part of the task before reinforcement learning starts.
 */
public final class WarmupCorpus {

    /** One conversation and the assistant reply to learn. */
    public record Example(List<Message> prompt, String target) {}

    private final Perspective perspective;
    private final AgreementPrompt agreement;
    private final ClosingPrompts closing;
    private final NegotiationScript script;

    /**
     * @param contextTurns turns each speaker and the judge see, as
     *     {@code rollout.context-turns}
     */
    public WarmupCorpus(PromptTemplates templates, int contextTurns, NegotiationScript script) {
        this.perspective = new Perspective(templates, contextTurns);
        this.agreement = new AgreementPrompt(templates, contextTurns);
        this.closing = new ClosingPrompts(templates);
        this.script = script;
    }

    /** The examples of one task, its choices drawn from {@code random}. */
    public List<Example> examples(PromptTask task, Random random) {
        if (task.getMode() == TaskMode.SINGLE) {
            return List.of(new Example(closing.answer(task),
                    script.resolution(task, random).text()));
        }
        NegotiationScript.Negotiation negotiation = script.play(task, random);
        List<Example> examples = new ArrayList<>();
        Dialogue dialogue = Dialogue.start(task);
        for (int i = 0; i < negotiation.turns().size(); i++) {
            String turn = negotiation.turns().get(i);
            examples.add(new Example(perspective.messages(dialogue), turn));
            dialogue = dialogue.then(turn);
            if (dialogue.turns().size() >= 2) {
                examples.add(new Example(agreement.messages(dialogue),
                        negotiation.accepts(i) ? "YES" : "NO"));
            }
        }
        if (negotiation.accepted()) {
            examples.add(new Example(closing.resolution(dialogue),
                    negotiation.resolution().text()));
        }
        return examples;
    }
}
