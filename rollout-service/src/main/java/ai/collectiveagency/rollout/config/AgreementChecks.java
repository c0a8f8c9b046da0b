package ai.collectiveagency.rollout.config;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.rollout.negotiation.AgreementCheck;
import ai.collectiveagency.rollout.negotiation.NegotiationSettings;
import ai.collectiveagency.rollout.negotiation.PolicyAgreementCheck;
import ai.collectiveagency.rollout.negotiation.PromptTemplates;
import jakarta.inject.Singleton;

/**
 * The agreement check {@code rollout.agreement.judge} names, for the policy a batch runs with:
 * the policy judging itself ({@code policy}).
 */
@Singleton
public class AgreementChecks {

    private final PromptTemplates templates;
    private final NegotiationSettings settings;

    AgreementChecks(PromptTemplates templates, NegotiationSettings settings) {
        this.templates = templates;
        this.settings = settings;
    }

    /** The check for a batch sampled from {@code policy}. */
    public AgreementCheck forPolicy(Policy policy) {
        return new PolicyAgreementCheck(policy, templates, settings.contextTurns(),
                settings.agreementMaxTokens());
    }
}
