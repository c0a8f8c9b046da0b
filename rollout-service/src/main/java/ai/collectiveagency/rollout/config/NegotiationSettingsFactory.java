package ai.collectiveagency.rollout.config;

import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.selfplay.Reasoning;
import ai.collectiveagency.selfplay.TurnSampling;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The negotiation settings and prompt templates from {@link RolloutConfig}, checked first. */
@ApplicationScoped
public class NegotiationSettingsFactory {

    @Produces
    @Singleton
    NegotiationSettings settings(RolloutConfig config) {
        RolloutConfigChecks.requireValid(config);
        return new NegotiationSettings(config.groupSize(), config.maxTurns(),
                config.contextTurns(), sampling(config.dialogue()),
                sampling(config.resolution()), sampling(config.answer()),
                config.agreement().maxTokens(), config.agreement().fromTurn(), false,
                new Reasoning(config.reasoning().mode(), config.reasoning().maxThoughtTokens()));
    }

    @Produces
    @Singleton
    PromptTemplates templates(RolloutConfig config) {
        return config.prompts().map(PromptTemplates::load).orElseGet(PromptTemplates::defaults);
    }

    private static TurnSampling sampling(RolloutConfig.Sampling sampling) {
        return new TurnSampling(sampling.temperature(), sampling.topP(), sampling.maxTokens());
    }
}
