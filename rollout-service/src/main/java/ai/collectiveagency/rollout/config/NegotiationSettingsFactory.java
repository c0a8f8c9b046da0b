package ai.collectiveagency.rollout.config;

import ai.collectiveagency.rollout.negotiation.NegotiationSettings;
import ai.collectiveagency.rollout.negotiation.PromptTemplates;
import ai.collectiveagency.rollout.negotiation.TurnSampling;
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
                config.agreement().maxTokens());
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
