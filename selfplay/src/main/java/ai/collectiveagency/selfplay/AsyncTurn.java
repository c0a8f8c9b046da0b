package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.Generation;

import java.util.ArrayList;
import java.util.List;

/**
 * One negotiation turn under {@code rollout.reasoning=async}: a single batched call holds, for
 * every open trajectory, the speaker's turn (its prompt carrying the thoughts it held, if any)
 * and the listener's thinker, so thinking adds rows to the call but no call to the turn.
 *
 * <p>Every row of the call runs under the dialogue turns' budget, which bounds the thoughts'
 * ({@link NegotiationSettings}); each row then stops at its own ({@link GenerationEngine}). A
 * speaker whose prompt does not fit ends its trajectory, as without reasoning; a thinker whose
 * prompt does not fit thinks no thoughts that turn, and its persona then speaks from its plain
 * view. Nobody thinks during the last turn, since no turn would read the thoughts.
 */
final class AsyncTurn {

    private final Policy policy;
    private final GenerationEngine engine;
    private final ModelTimer timer;
    private final TextTimer textTimer;
    private final ContextBudget budget;
    private final NegotiationSettings settings;
    private final ThoughtPrompts prompts;

    AsyncTurn(Policy policy, GenerationEngine engine, ModelTimer timer, TextTimer textTimer,
            ContextBudget budget, NegotiationSettings settings, ThoughtPrompts prompts) {
        this.policy = policy;
        this.engine = engine;
        this.timer = timer;
        this.textTimer = textTimer;
        this.budget = budget;
        this.settings = settings;
        this.prompts = prompts;
    }

    /**
     * Plays turn {@code step} of the {@code open} trajectories.
     *
     * @return the trajectories whose speaker spoke, in order
     */
    List<TrajectoryRun> play(List<TrajectoryRun> open, int step) {
        TurnSampling dialogue = settings.dialogue();
        TurnSampling thoughts = settings.thoughts();
        List<TrajectoryRun> speakers = new ArrayList<>();
        List<TrajectoryRun> thinkers = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        List<int[]> speakerPrompts = textTimer.time(() -> open.stream()
                .map(run -> prompts.speaker(run.dialogue(), run.thoughtsOfNextSpeaker()))
                .toList());
        for (int i = 0; i < open.size(); i++) {
            TrajectoryRun run = open.get(i);
            int[] prompt = speakerPrompts.get(i);
            if (budget.fits(prompt.length, dialogue.maxTokens())) {
                speakers.add(run);
                rows.add(prompt);
            }
        }
        if (speakers.isEmpty()) {
            return speakers;
        }
        if (step < settings.maxTurns() - 1) {
            List<int[]> thinkerPrompts = textTimer.time(() -> speakers.stream()
                    .map(run -> prompts.thinker(run.dialogue())).toList());
            for (int i = 0; i < speakers.size(); i++) {
                TrajectoryRun run = speakers.get(i);
                int[] prompt = thinkerPrompts.get(i);
                // The call's budget, not the thoughts': the batch is checked against it.
                if (budget.fits(prompt.length, dialogue.maxTokens())) {
                    thinkers.add(run);
                    rows.add(prompt);
                }
            }
        }
        int[] maxTokens = new int[rows.size()];
        long[] seeds = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            boolean speaks = i < speakers.size();
            maxTokens[i] = speaks ? dialogue.maxTokens() : thoughts.maxTokens();
            seeds[i] = speaks ? speakers.get(i).seed(step)
                    : thinkers.get(i - speakers.size()).thoughtsSeed(step);
        }
        List<Generation> generations = timer.time(() -> engine.generate(rows,
                dialogue.params(), maxTokens, seeds));
        List<Speaker> listeners = thinkers.stream()
                .map(run -> run.dialogue().nextSpeaker().other()).toList();
        List<String> texts = textTimer.time(() -> generations.stream()
                .map(generation -> policy.decode(generation.tokenIds())).toList());
        for (int i = 0; i < speakers.size(); i++) {
            speakers.get(i).addPersonaTurn(rows.get(i), generations.get(i), texts.get(i),
                    dialogue);
        }
        for (int j = 0; j < thinkers.size(); j++) {
            int row = speakers.size() + j;
            thinkers.get(j).holdThoughts(listeners.get(j), rows.get(row), generations.get(row),
                    texts.get(row), thoughts);
        }
        return speakers;
    }
}
