package ai.collectiveagency.selfplay;

import java.util.Objects;

/**
 * How a group is sampled. Defaults follow the self-play negotiation paper: temperature 0.7 /
 * top-p 0.95 for dialogue turns, 0.1 / 0.95 for the resolution, each turn conditioned on the last
 * two turns, at most 7 turns. What a failed trajectory is worth is the reward-service's call; here
 * a trajectory is only marked failed.
 *
 * @param groupSize G, trajectories per task (GRPO compares rewards within the group)
 * @param maxTurns T, most persona turns of a negotiation (A and B together)
 * @param contextTurns k, the latest turns each side (and the policy judge) sees; 0 shows the
 *     whole dialogue
 * @param dialogue sampling of persona turns
 * @param resolution sampling of persona A's final resolution
 * @param answer sampling of a single-agent answer (SINGLE mode); it keeps the dialogue's
 *     temperature by default so a group's answers differ and their advantages carry signal
 * @param agreementMaxTokens the policy judge's answer budget (it decodes greedily)
 * @param agreementFromTurn the first turn after which agreement is checked: 1 checks after every
 *     turn, the opening one included (an opening offer may already be accepted in the paper's
 *     protocol); 2 waits until both sides have spoken
 * @param resolveAlways whether persona A writes a resolution of every dialogue, agreed or not
 *     (the papers' evaluation protocol); in training only agreed dialogues are resolved and the
 *     others are failed trajectories
 * @param reasoning whether the personas think while the other speaks ({@link Reasoning}); their
 *     thoughts are sampled at the dialogue's temperature and top-p
 */
public record NegotiationSettings(int groupSize, int maxTurns, int contextTurns,
        TurnSampling dialogue, TurnSampling resolution, TurnSampling answer,
        int agreementMaxTokens, int agreementFromTurn, boolean resolveAlways,
        Reasoning reasoning) {

    public NegotiationSettings {
        requireAtLeast("group size", groupSize, 1);
        requireAtLeast("max turns", maxTurns, 2);
        requireAtLeast("context turns", contextTurns, 0);
        requireAtLeast("agreement max tokens", agreementMaxTokens, 1);
        requireAtLeast("agreement from turn", agreementFromTurn, 1);
        Objects.requireNonNull(dialogue, "dialogue sampling");
        Objects.requireNonNull(resolution, "resolution sampling");
        Objects.requireNonNull(answer, "answer sampling");
        Objects.requireNonNull(reasoning, "reasoning");
        if (reasoning.isAsync() && reasoning.maxThoughtTokens() > dialogue.maxTokens()) {
            throw new IllegalArgumentException("max thought tokens (" + reasoning.maxThoughtTokens()
                    + ") must not exceed the dialogue turns' max tokens (" + dialogue.maxTokens()
                    + "): a persona thinks while the other's turn is generated, in the same call");
        }
    }

    /** Settings without reasoning ({@link Reasoning#off()}). */
    public NegotiationSettings(int groupSize, int maxTurns, int contextTurns,
            TurnSampling dialogue, TurnSampling resolution, TurnSampling answer,
            int agreementMaxTokens, int agreementFromTurn, boolean resolveAlways) {
        this(groupSize, maxTurns, contextTurns, dialogue, resolution, answer, agreementMaxTokens,
                agreementFromTurn, resolveAlways, Reasoning.off());
    }

    /**
     * G 8, T 7, k 2; turns 0.7/0.95/256 tokens, resolution 0.1/0.95/512, answer 0.7/0.95/512;
     * agreement checked after every turn; only agreed dialogues resolved; no reasoning.
     */
    public static NegotiationSettings defaults() {
        return new NegotiationSettings(8, 7, 2, new TurnSampling(0.7, 0.95, 256),
                new TurnSampling(0.1, 0.95, 512), new TurnSampling(0.7, 0.95, 512), 4, 1, false);
    }

    /** These settings with {@code groupSize} trajectories per task. */
    public NegotiationSettings withGroupSize(int groupSize) {
        return new NegotiationSettings(groupSize, maxTurns, contextTurns, dialogue, resolution,
                answer, agreementMaxTokens, agreementFromTurn, resolveAlways, reasoning);
    }

    /** These settings decoding greedily (temperature 0) on every turn, token budgets kept. */
    public NegotiationSettings greedy() {
        return new NegotiationSettings(groupSize, maxTurns, contextTurns, dialogue.greedy(),
                resolution.greedy(), answer.greedy(), agreementMaxTokens, agreementFromTurn,
                resolveAlways, reasoning);
    }

    /** These settings, resolving every dialogue, agreed or not (the evaluation protocol). */
    public NegotiationSettings resolvingAlways() {
        return new NegotiationSettings(groupSize, maxTurns, contextTurns, dialogue, resolution,
                answer, agreementMaxTokens, agreementFromTurn, true, reasoning);
    }

    /** These settings with {@code reasoning}. */
    public NegotiationSettings withReasoning(Reasoning reasoning) {
        return new NegotiationSettings(groupSize, maxTurns, contextTurns, dialogue, resolution,
                answer, agreementMaxTokens, agreementFromTurn, resolveAlways, reasoning);
    }

    /** Sampling of a persona's thoughts: the dialogue's temperature and top-p, their own budget. */
    public TurnSampling thoughts() {
        return new TurnSampling(dialogue.temperature(), dialogue.topP(),
                reasoning.maxThoughtTokens());
    }

    private static void requireAtLeast(String what, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(what + " must be at least " + least + ", got "
                    + value);
        }
    }
}
