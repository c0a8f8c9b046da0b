package ai.collectiveagency.selfplay;

import ai.collectiveagency.schemas.PromptTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A negotiation so far: the task and the turns spoken, persona A first, then alternating.
 *
 * @param task the scenario and the personas
 * @param turns the turns in order; turn i is spoken by A when i is even, by B when odd
 */
public record Dialogue(PromptTask task, List<DialogueTurn> turns) {

    public Dialogue {
        Objects.requireNonNull(task, "task");
        turns = List.copyOf(turns);
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).speaker() != speakerOf(i)) {
                throw new IllegalArgumentException("turn " + i + " must be spoken by "
                        + speakerOf(i) + ": the sides alternate, A first");
            }
        }
    }

    /** A dialogue with no turns yet. */
    public static Dialogue start(PromptTask task) {
        return new Dialogue(task, List.of());
    }

    /** Who speaks next. */
    public Speaker nextSpeaker() {
        return speakerOf(turns.size());
    }

    /** This dialogue with the next speaker's {@code text} appended. */
    public Dialogue then(String text) {
        List<DialogueTurn> longer = new ArrayList<>(turns);
        longer.add(new DialogueTurn(nextSpeaker(), text));
        return new Dialogue(task, longer);
    }

    /** The last {@code count} turns, or all of them when {@code count} is 0. */
    public List<DialogueTurn> lastTurns(int count) {
        if (count == 0 || count >= turns.size()) {
            return turns;
        }
        return turns.subList(turns.size() - count, turns.size());
    }

    private static Speaker speakerOf(int index) {
        return index % 2 == 0 ? Speaker.A : Speaker.B;
    }
}
