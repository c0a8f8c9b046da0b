package ai.collectiveagency.evaluation.protocol;

import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.TurnSampling;

/**
 * The papers' evaluation protocol on top of the training settings: one trajectory per task, at
 * most T turns, agreement checked after every turn, and a resolution always written, agreed or
 * not (an evaluation compares what each policy would settle on, so "no agreement" is not an
 * empty answer). Greedy decoding sets every temperature to 0; sampled decoding keeps the training
 * temperatures and top-p. Token budgets are the training ones.
 *
 * @param training the rollout fleet's settings (its turns, context window and token budgets)
 */
public record EvaluationProtocol(NegotiationSettings training) {

    /**
     * The protocol over the training settings given one by one (the service's and the command
     * line's options).
     *
     * @param temperature persona turns' and answers' sampled temperature (the training one)
     * @param resolutionTemperature resolutions' sampled temperature (the training one)
     */
    public static EvaluationProtocol of(int maxTurns, int contextTurns, double temperature,
            double resolutionTemperature, double topP, int turnTokens, int resolutionTokens,
            int agreementTokens) {
        return new EvaluationProtocol(new NegotiationSettings(1, maxTurns, contextTurns,
                new TurnSampling(temperature, topP, turnTokens),
                new TurnSampling(resolutionTemperature, topP, resolutionTokens),
                new TurnSampling(temperature, topP, resolutionTokens), agreementTokens, 1, false));
    }

    /** The settings both policies play under with {@code decoding}. */
    public NegotiationSettings settings(Decoding decoding) {
        NegotiationSettings one = training.withGroupSize(1).resolvingAlways();
        return decoding == Decoding.GREEDY ? one.greedy() : one;
    }
}
