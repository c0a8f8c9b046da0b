package ai.collectiveagency.rollout.config;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.Reasoning;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code rollout.reasoning} as the packaged service reads it: off by default, {@code async} from
 * the environment, a thought budget beyond the dialogue's refused naming both keys.
 */
class ReasoningConfigTest {

    @Test
    void reasoningIsOffByDefault() throws IOException {
        RolloutConfig config = config(Map.of());

        assertThat(RolloutConfigChecks.problems(config)).isEmpty();
        assertThat(new NegotiationSettingsFactory().settings(config).reasoning())
                .isEqualTo(Reasoning.off());
    }

    @Test
    void environmentVariablesTurnItOnWithItsBudget() throws IOException {
        RolloutConfig config = config(Map.of("ROLLOUT_REASONING", "async",
                "ROLLOUT_REASONING_MAX_THOUGHT_TOKENS", "96"));

        NegotiationSettings settings = new NegotiationSettingsFactory().settings(config);

        assertThat(settings.reasoning()).isEqualTo(Reasoning.async(96));
        assertThat(settings.thoughts().maxTokens()).isEqualTo(96);
        assertThat(settings.thoughts().temperature()).isEqualTo(settings.dialogue().temperature());
    }

    @Test
    void thoughtsLongerThanADialogueTurnAreRefusedNamingBothKeys() throws IOException {
        RolloutConfig config = config(Map.of("ROLLOUT_REASONING", "async",
                "ROLLOUT_REASONING_MAX_THOUGHT_TOKENS", "300"));

        assertThat(RolloutConfigChecks.problems(config)).singleElement().asString()
                .startsWith("rollout.reasoning.max-thought-tokens must be <= "
                        + "rollout.dialogue.max-tokens (256) when rollout.reasoning=async")
                .endsWith("was 300");
        assertThat(RolloutConfigChecks.problems(config(Map.of(
                "ROLLOUT_REASONING_MAX_THOUGHT_TOKENS", "0")))).singleElement().asString()
                .isEqualTo("rollout.reasoning.max-thought-tokens must be >= 1, was 0");
    }

    /** The classpath's application.properties with {@code environment} variables over it. */
    private static RolloutConfig config(Map<String, String> environment) throws IOException {
        return new SmallRyeConfigBuilder().withMapping(RolloutConfig.class)
                .addDefaultInterceptors().withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        ReasoningConfigTest.class.getResource("/application.properties"), 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(
                        Map.of("rollout.model", "../models/qwen2-tiny-random"), "command line",
                        400))
                .build().getConfigMapping(RolloutConfig.class);
    }
}
