package ai.collectiveagency.rollout.config;

import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.ChatStatsMeters;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.selfplay.AgreementCheck;
import ai.collectiveagency.selfplay.JudgePrompts;
import ai.collectiveagency.selfplay.LlmAgreementCheck;
import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.GenerationEngine;
import ai.collectiveagency.selfplay.ModelTimer;
import ai.collectiveagency.selfplay.PolicyAgreementCheck;
import ai.collectiveagency.selfplay.PromptTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

/**
 * The agreement check {@code rollout.agreement.judge} names, for the policy a batch runs with:
 * the policy judging itself ({@code policy}), or one {@link LlmAgreementCheck} over the
 * endpoint at {@code rollout.agreement.llm.*} ({@code llm}), made once, with its counters
 * ({@link ChatStatsMeters}: {@code rollout_agreement_llm_*}).
 */
@Singleton
public class AgreementChecks {

    /** How long opening a connection to the judge may take. */
    /** The circuit opens when half of the last 20 attempts failed, for 30 s. */
    private static final int CIRCUIT_WINDOW = 20;
    private static final double CIRCUIT_FAILURE_RATIO = 0.5;
    private static final Duration CIRCUIT_DELAY = Duration.ofSeconds(30);

    private final PromptTemplates templates;
    private final NegotiationSettings settings;
    private final Optional<LlmAgreementCheck> llm;

    AgreementChecks(PromptTemplates templates, NegotiationSettings settings, RolloutConfig config,
            MeterRegistry registry) {
        this.templates = templates;
        this.settings = settings;
        if (config.agreement().judge() == RolloutConfig.Judge.LLM) {
            LlmAgreementCheck check = llmCheck(config);
            ChatStatsMeters.register(check.chat().stats(), registry, "rollout.agreement.llm",
                    "failed", Tags.empty());
            this.llm = Optional.of(check);
        } else {
            this.llm = Optional.empty();
        }
    }

    /** The check for a batch sampled from {@code policy} in this process. */
    public AgreementCheck forPolicy(Policy policy) {
        return forPolicy(policy, GenerationEngine.local(policy));
    }

    /**
     * The check for a batch whose sampling runs on {@code engine} (the policy judge's answers
     * too); {@code policy} encodes and decodes.
     */
    public AgreementCheck forPolicy(Policy policy, GenerationEngine engine) {
        if (llm.isPresent()) {
            return llm.get();
        }
        return new PolicyAgreementCheck(policy, engine, templates, settings.contextTurns(),
                settings.agreementMaxTokens(), new ModelTimer());
    }

    @PreDestroy
    void close() {
        llm.ifPresent(LlmAgreementCheck::close);
    }

    private LlmAgreementCheck llmCheck(RolloutConfig config) {
        RolloutConfigChecks.requireValid(config);
        RolloutConfig.LlmJudge judge = config.agreement().llm();
        JsonChat chat = JsonChat.create(judge.endpoint(), LlmAgreementCheck.schema(), judge.jsonMode(),
                new ChatGuard(judge.timeout(), judge.maxRetries(), judge.retryDelay(),
                        CIRCUIT_WINDOW, CIRCUIT_FAILURE_RATIO, CIRCUIT_DELAY));
        return new LlmAgreementCheck(chat, JudgePrompts.load(config.prompts().orElse(null)),
                settings.contextTurns(), judge.maxTokens(), judge.parallelism());
    }
}
