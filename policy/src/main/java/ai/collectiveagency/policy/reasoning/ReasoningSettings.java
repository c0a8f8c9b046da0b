package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.sampling.SamplingParams;

import java.util.Set;

/**
 * How one asynchronous-reasoning run decodes.
 *
 * @param thinkerBudget most thinker tokens; a thinker that spends them closes its thoughts
 * @param writerBudget  most writer tokens (the answer); spending them ends the answer
 * @param temperature   0 for greedy, else both streams sample at it
 * @param topP          nucleus sampling for both streams (1 keeps all)
 * @param seed          the thinker samples from {@code seed}, the writer from {@code seed + 1}
 * @param checks        how the thinker's yes/no question decides when the writer writes
 * @param thinkerForbidden ids the thinker never samples, beyond the model's defaults
 * @param writerForbidden  ids the writer never samples, beyond the model's defaults
 */
public record ReasoningSettings(int thinkerBudget, int writerBudget, double temperature,
        double topP, long seed, Checks checks, Set<Integer> thinkerForbidden,
        Set<Integer> writerForbidden) {

    /** How the yes/no check decides. */
    public enum Checks {
        /** The paper's rule: P(" yes") against P(" no") in the thinker's view. */
        MODEL,
        /**
         * The question is asked and computed as in {@link #MODEL}, but the answer is taken as yes:
         * for measuring the schedule's cost on a model whose answers mean nothing (untrained).
         */
        ALWAYS_WRITE,
        /** Think, then answer: no check; the writer starts when the thoughts are closed. */
        THINK_THEN_ANSWER
    }

    public ReasoningSettings {
        if (thinkerBudget < 0 || writerBudget < 1) {
            throw new IllegalArgumentException("the thinker's budget must be >= 0 and the"
                    + " writer's >= 1, got " + thinkerBudget + " and " + writerBudget);
        }
        new SamplingParams(writerBudget, temperature, topP, 0, seed); // checks them
        if (checks == null) {
            throw new IllegalArgumentException("checks must not be null");
        }
        thinkerForbidden = Set.copyOf(thinkerForbidden);
        writerForbidden = Set.copyOf(writerForbidden);
    }

    /** Greedy decoding with the paper's checks and no forbidden ids beyond the defaults. */
    public static ReasoningSettings greedy(int thinkerBudget, int writerBudget) {
        return new ReasoningSettings(thinkerBudget, writerBudget, 0, 1, 0, Checks.MODEL,
                Set.of(), Set.of());
    }

    public ReasoningSettings withChecks(Checks rule) {
        return new ReasoningSettings(thinkerBudget, writerBudget, temperature, topP, seed, rule,
                thinkerForbidden, writerForbidden);
    }

    public ReasoningSettings withForbidden(Set<Integer> thinker, Set<Integer> writer) {
        return new ReasoningSettings(thinkerBudget, writerBudget, temperature, topP, seed, checks,
                thinker, writer);
    }

    /** The sampling of one stream, seeded with {@code seed}. */
    SamplingParams sampling(long streamSeed) {
        return new SamplingParams(Math.max(thinkerBudget, writerBudget), temperature, topP, 0,
                streamSeed);
    }
}
