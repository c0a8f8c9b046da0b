package ai.collectiveagency.selfplay;

import java.util.Objects;

/**
 * Whether each persona thinks while the other persona's turn is generated (asynchronous
 * reasoning, arXiv 2512.10931, in the lockstep form self-play allows): the listener's thinker is
 * one more row of the speaker's batched call, so its thoughts are ready when the other finishes
 * and its reply starts at once, with no turn of latency added.
 *
 * @param mode {@link Mode#OFF} (the plain protocol) or {@link Mode#ASYNC}
 * @param maxThoughtTokens most tokens of one thoughts sequence; under ASYNC at most the dialogue
 *     turns' budget (checked by {@link NegotiationSettings}): a thinker has only the other
 *     persona's turn to think in
 */
public record Reasoning(Mode mode, int maxThoughtTokens) {

    /** The thought budget when none is given. */
    public static final int DEFAULT_THOUGHT_TOKENS = 128;

    /** Whether the personas think. */
    public enum Mode {
        /** They do not: every prompt is the plain view of the dialogue. */
        OFF,
        /** The listener thinks in the speaker's call; its next prompt carries the thoughts. */
        ASYNC
    }

    public Reasoning {
        Objects.requireNonNull(mode, "reasoning mode");
        if (maxThoughtTokens < 1) {
            throw new IllegalArgumentException("max thought tokens must be at least 1, got "
                    + maxThoughtTokens);
        }
    }

    /** No thinking. */
    public static Reasoning off() {
        return new Reasoning(Mode.OFF, DEFAULT_THOUGHT_TOKENS);
    }

    /** Thinking while the other speaks, at most {@code maxThoughtTokens} tokens a turn. */
    public static Reasoning async(int maxThoughtTokens) {
        return new Reasoning(Mode.ASYNC, maxThoughtTokens);
    }

    public boolean isAsync() {
        return mode == Mode.ASYNC;
    }
}
